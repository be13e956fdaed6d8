# Rows for pledge URLs live in access_rows_<area>.py beside this file, one module per area.
ROWS: list = []
