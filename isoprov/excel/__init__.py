"""Excel workbooks: fill-in forms and their reading, score and budget exports (SPEC §6).

openpyxl is imported inside functions only; these modules are imported only by the commands that
write or read a workbook, never at CLI start-up."""
