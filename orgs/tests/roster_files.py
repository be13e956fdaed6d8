"""Build roster files (.csv / .xlsx) in memory for the import tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

ORG_HEADERS = ["组织代码", "组织名称", "组织类别", "所属领域", "上级组织代码"]
MEMBER_HEADERS = ["姓名", "组织代码", "职务", "手机号"]


def csv_file(headers, rows, name="roster.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    lines = [",".join(headers)] + [",".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def xlsx_file(headers, rows, name="roster.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def make(kind_of_file: str, headers, rows):
    return csv_file(headers, rows) if kind_of_file == "csv" else xlsx_file(headers, rows)
