"""Item ids and percentage lines (SPEC §5b): ``id: A`` on an item, ``percent: 5, of: [A, B]`` on
another. Every id is unique in the file, every id in ``of`` names an item, and no amount depends
on itself (a percentage line of its own parent, or two lines of each other): otherwise nothing
can be computed, and the problems are input errors located at their node.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from isoprov.budget.model import Budget, BudgetItem
from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.core.loading import PathKey, YamlDocument


def walk_items(budget: Budget) -> Iterator[tuple[PathKey, BudgetItem]]:
    """Every item and sub-item with its path, depth-first in file order."""

    def walk(item: BudgetItem, path: PathKey) -> Iterator[tuple[PathKey, BudgetItem]]:
        yield path, item
        for j, sub in enumerate(item.breakdown):
            yield from walk(sub, (*path, "breakdown", j))

    for i, item in enumerate(budget.items):
        yield from walk(item, ("items", i))


@dataclass
class References:
    """The items of a budget by path and by id; :func:`resolve_references` builds it."""

    items: dict[PathKey, BudgetItem] = field(default_factory=dict)
    by_id: dict[str, PathKey] = field(default_factory=dict)

    def targets(self, item: BudgetItem) -> list[PathKey]:
        """The paths of the items a percentage line is computed from."""
        return [self.by_id[i] for i in item.of]


def resolve_references(budget: Budget, doc: YamlDocument) -> References:
    """Index the items; InputError for a repeated id, an unknown id in ``of`` or a cycle."""
    refs = References()
    problems: list[Diagnostic] = []
    for path, item in walk_items(budget):
        refs.items[path] = item
        if item.id is None:
            continue
        if item.id in refs.by_id:
            first = doc.source.locate(refs.by_id[item.id])
            where = f" (lần đầu ở dòng {first.line})" if first else ""
            problems.append(
                doc.diagnostic((*path, "id"), f"mã khoản `{item.id}` bị trùng{where}; mỗi mã chỉ dùng cho một khoản")
            )
        else:
            refs.by_id[item.id] = path
    known = ", ".join(f"`{i}`" for i in refs.by_id) or "(chưa khoản nào có `id`)"
    for path, item in refs.items.items():
        for k, target in enumerate(item.of):
            if target not in refs.by_id:
                problems.append(
                    doc.diagnostic(
                        (*path, "of", k),
                        f"`{item.name}`: `of` ghi mã `{target}` nhưng không khoản nào có `id: {target}`; "
                        f"các mã đã khai báo: {known}",
                    )
                )
    if problems:
        raise InputError(problems)
    cycle = _find_cycle(refs)
    if cycle:
        names = " → ".join(f"`{refs.items[p].id or refs.items[p].name}`" for p in cycle)
        start = cycle[0]
        raise InputError(
            [
                doc.diagnostic(
                    (*start, "of"),
                    f"`{refs.items[start].name}`: các khoản tính theo tỷ lệ tạo thành vòng lặp ({names}): "
                    "thành tiền của một khoản không thể tính từ chính nó; hãy bỏ mã gây vòng lặp khỏi `of`",
                )
            ]
        )
    return refs


def _depends_on(refs: References, path: PathKey) -> list[PathKey]:
    item = refs.items[path]
    children = [(*path, "breakdown", j) for j in range(len(item.breakdown))]
    return [*children, *refs.targets(item)]


def _find_cycle(refs: References) -> list[PathKey]:
    """A cycle through at least one percentage line, as the list of its items; [] if none."""
    state: dict[PathKey, int] = {}  # 1: on the stack, 2: done
    stack: list[PathKey] = []

    def visit(path: PathKey) -> list[PathKey]:
        state[path] = 1
        stack.append(path)
        for dep in _depends_on(refs, path):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :]
                # start at a percentage line: that is where the loop is written
                k = next((i for i, p in enumerate(cycle) if refs.items[p].of), 0)
                return [*cycle[k:], *cycle[:k], cycle[k]]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[path] = 2
        return []

    for path in refs.items:
        if path not in state and (found := visit(path)):
            return found
    return []
