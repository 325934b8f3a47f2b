"""Documents (văn bản hành chính after Nghị định 30/2020): data → Jinja template → document markup
→ Markdown, HTML or DOCX.

One module per step: :mod:`.model` (the data file), :mod:`.context` (what a template reads, with
:mod:`.budget_appendix` and :mod:`.score_report`), :mod:`.environment` (the Jinja environment,
running a template, its errors in Vietnamese) with :mod:`.sandbox`, :mod:`.printable` and
:mod:`.filters`; :mod:`.markup` (the text a template writes, escaping the user's text, parsed into
:mod:`.blocks`); the writers :mod:`.html` and :mod:`.docx`. :mod:`.errors` holds ``RenderError``.
"""
