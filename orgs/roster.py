"""Roster files (.xlsx or .csv) of organizations or of members: reading, checking, templates.

Every row is checked before anything is written; one bad row rejects the whole file with a
row-by-row report. Rows are numbered as the spreadsheet shows them (the header is row 1).
Applying a checked roster is services.roster_import_apply.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Member, Organization, RosterImport
from .validators import normalize_phone

MAX_ROWS = 20000
Kind, Sector, Position = Organization.Kind, Organization.Sector, Member.Position

# Columns: (key, header in the template). Headers are Chinese; the keys and English names work too.
COLUMNS = {
    RosterImport.Kind.ORGANIZATIONS: [
        ("code", "组织代码"),
        ("name", "组织名称"),
        ("kind", "组织类别"),
        ("sector", "所属领域"),
        ("parent", "上级组织代码"),
    ],
    RosterImport.Kind.MEMBERS: [
        ("name", "姓名"),
        ("organization", "组织代码"),
        ("position", "职务"),
        ("phone", "手机号"),
    ],
}
REQUIRED = {
    RosterImport.Kind.ORGANIZATIONS: {"code", "name", "kind"},
    RosterImport.Kind.MEMBERS: {"name", "organization"},
}
HEADER_ALIASES = {
    "code": ["代码", "组织代码", "code", "org code"],
    "name": ["名称", "组织名称", "姓名", "name"],
    "kind": ["类别", "组织类别", "类型", "组织类型", "kind", "type"],
    "sector": ["领域", "所属领域", "sector"],
    "parent": ["上级代码", "上级组织代码", "上级", "parent", "parent code", "parent_code"],
    "organization": ["组织代码", "所在组织代码", "所在组织", "organization", "organization code", "organization_code"],
    "position": ["职务", "position"],
    "phone": ["手机号", "手机", "手机号码", "电话", "联系电话", "phone", "mobile"],
}
EXAMPLES = {
    RosterImport.Kind.ORGANIZATIONS: [
        ["dl-xinxing", "新星村党支部", "党支部", "农村", "dl"],
        ["nh-qyzzb-5", "南湖企业党总支第五支部", "党支部", "非公企业", "nh-qyzzb"],
    ],
    RosterImport.Kind.MEMBERS: [
        ["张三", "dl-shiqiao", "党员", "13800000000"],
        ["李四", "dl-shiqiao", "委员", ""],
    ],
}

KIND_ZH = {
    Kind.DISTRICT_COMMITTEE: ["区委"],
    Kind.COMMITTEE: ["党委"],
    Kind.WORKING_COMMITTEE: ["党工委"],
    Kind.LEADING_GROUP: ["党组"],
    Kind.GENERAL_BRANCH: ["党总支", "总支"],
    Kind.BRANCH: ["党支部", "支部"],
}
SECTOR_ZH = {
    Sector.VILLAGE: ["农村"],
    Sector.COMMUNITY: ["社区"],
    Sector.GOVERNMENT: ["机关"],
    Sector.INSTITUTION: ["事业单位"],
    Sector.STATE_ENTERPRISE: ["国有企业", "国企"],
    Sector.PRIVATE_ENTERPRISE: ["非公企业", "非公有制企业"],
    Sector.SOCIAL_ORGANIZATION: ["社会组织"],
    Sector.SCHOOL: ["学校"],
    Sector.HOSPITAL: ["医院"],
    Sector.COOPERATIVE: ["农民专业合作社", "合作社"],
}
POSITION_ZH = {
    Position.SECRETARY: ["书记"],
    Position.DEPUTY_SECRETARY: ["副书记"],
    Position.COMMITTEE_MEMBER: ["委员"],
    Position.MEMBER: ["党员"],
}
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _lookup(choices, chinese: dict) -> dict[str, str]:
    """Accepted spellings (Chinese label, code, English label; case-insensitive) → stored value."""
    table = {}
    for value, label in choices.choices:
        table[value.lower()] = value
        with translation.override("en"):
            table[str(label).lower()] = value
        for alias in chinese.get(value, []):
            table[alias] = value
    return table


KIND_LOOKUP = _lookup(Kind, KIND_ZH)
SECTOR_LOOKUP = _lookup(Sector, SECTOR_ZH)
POSITION_LOOKUP = _lookup(Position, POSITION_ZH)


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    message: str
    column: str = ""
    value: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(uploaded) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(headers, [(row number, cells)]) of the first sheet of an .xlsx, or of a .csv (UTF-8 or GBK)."""
    suffix = PurePath(uploaded.name or "").suffix.lower()
    data = uploaded.read()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same answer
            raise ValidationError(_("This .xlsx file cannot be read. Save it again from Excel or WPS.")) from exc
        sheet = workbook.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    elif suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("This .csv file is neither UTF-8 nor GBK text."))
        table = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file (download a template below)."))
    if not table or not any(table[0]):
        raise ValidationError(_("The file is empty. Put the column headers in the first row."))
    headers = table[0]
    rows = [(number, cells) for number, cells in enumerate(table[1:], start=2) if any(cells)]
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS}
        )
    return headers, rows


def records_from(kind: str, headers: list[str], rows) -> tuple[list[tuple[int, dict]], dict[str, str], list[Problem]]:
    """Map the file's columns to keys. Returns the records, the header each key came from, problems."""
    wanted = [key for key, _label in COLUMNS[kind]]
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        cleaned = header.strip().lower()
        for key in wanted:
            if key not in positions and cleaned in [a.lower() for a in HEADER_ALIASES[key]]:
                positions[key] = index
                break
    labels = dict(COLUMNS[kind])
    missing = [labels[key] for key in wanted if key in REQUIRED[kind] and key not in positions]
    if missing:
        return (
            [],
            labels,
            [
                Problem(
                    row=1,
                    message=_("Missing column(s): %(columns)s. Use the template's first row as headers.")
                    % {"columns": "、".join(missing)},
                )
            ],
        )
    headers_used = {key: headers[pos] for key, pos in positions.items()} | {
        key: labels[key] for key in wanted if key not in positions
    }
    records = [
        (number, {key: (cells[pos] if pos < len(cells) else "") for key, pos in positions.items()})
        for number, cells in rows
    ]
    for _number, record in records:
        for key in wanted:
            record.setdefault(key, "")
    return records, headers_used, []


def check_file(kind: str, uploaded) -> Checked:
    """Read and check an uploaded roster; nothing is written."""
    try:
        headers, rows = read_table(uploaded)
    except ValidationError as exc:
        return Checked(problems=[Problem(row=None, message=" ".join(exc.messages))])
    records, labels, problems = records_from(kind, headers, rows)
    if problems:
        return Checked(problems=problems)
    if not records:
        return Checked(problems=[Problem(row=None, message=_("The file has headers but no rows."))])
    return check_records(kind, records, labels)


def check_records(kind: str, records: list[tuple[int, dict]], labels: dict[str, str] | None = None) -> Checked:
    labels = labels or dict(COLUMNS[kind])
    if kind == RosterImport.Kind.ORGANIZATIONS:
        return _check_organizations(records, labels)
    return _check_members(records, labels)


def revalidate(kind: str, rows: list[dict]) -> list[Problem]:
    """Check already-normalized rows again against the database as it is now."""
    return check_records(kind, [(row["row"], dict(row)) for row in rows]).problems


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------
def _check_organizations(records, labels) -> Checked:
    problems: list[Problem] = []
    rows: list[dict] = []
    first_row_of: dict[str, int] = {}
    file_codes = {r["code"] for _n, r in records if r["code"]}
    existing = {
        o.code: o
        for o in Organization.objects.filter(code__in=file_codes | {r["parent"] for _n, r in records if r["parent"]})
    }

    def problem(number, key, message, value=""):
        problems.append(Problem(row=number, column=labels.get(key, key), value=value, message=message))

    for number, record in records:
        code, name, parent = record["code"], record["name"], record["parent"]
        raw_kind, raw_sector = record["kind"], record["sector"]
        bad = False
        if not code:
            problem(number, "code", _("Enter the organization's code."))
            bad = True
        elif len(code) > 32 or not CODE_RE.match(code):
            problem(number, "code", _("A code may only use letters, digits, “-” and “_”, at most 32 characters."), code)
            bad = True
        elif code.lower() in Organization.RESERVED_CODES:
            problem(number, "code", _("“%(code)s” is reserved; choose another code.") % {"code": code}, code)
            bad = True
        elif code in first_row_of:
            problem(
                number,
                "code",
                _("Code %(code)s is already used in row %(row)d of this file.")
                % {"code": code, "row": first_row_of[code]},
                code,
            )
            bad = True
        elif code in existing:
            problem(
                number,
                "code",
                _("Code %(code)s already belongs to %(name)s.") % {"code": code, "name": existing[code].name},
                code,
            )
            bad = True
        if code and code not in first_row_of:
            first_row_of[code] = number
        if not name:
            problem(number, "name", _("Enter the organization's name."))
            bad = True
        elif len(name) > 100:
            problem(number, "name", _("The name is longer than 100 characters."), name)
            bad = True
        kind = KIND_LOOKUP.get(raw_kind.lower()) if raw_kind else None
        if kind is None:
            problem(
                number,
                "kind",
                _("Unknown kind “%(value)s”. Use one of: 区委, 党委, 党工委, 党组, 党总支, 党支部.")
                % {"value": raw_kind}
                if raw_kind
                else _("Enter the kind, e.g. 党支部."),
                raw_kind,
            )
            bad = True
        sector = ""
        if raw_sector:
            sector = SECTOR_LOOKUP.get(raw_sector.lower(), "")
            if not sector:
                problem(
                    number,
                    "sector",
                    _("Unknown sector “%(value)s”. Use one of: %(choices)s.")
                    % {"value": raw_sector, "choices": "、".join(v[0] for v in SECTOR_ZH.values())},
                    raw_sector,
                )
                bad = True
        if not parent:
            if kind is not None and kind != Kind.DISTRICT_COMMITTEE:
                problem(
                    number, "parent", _("Enter the parent organization's code (only a district committee has none).")
                )
                bad = True
        elif parent == code:
            problem(number, "parent", _("An organization cannot be its own parent."), parent)
            bad = True
        elif parent not in file_codes and parent not in existing:
            problem(
                number,
                "parent",
                _("Parent code %(code)s is neither in this file nor in the system.") % {"code": parent},
                parent,
            )
            bad = True
        elif parent in existing and existing[parent].kind == Kind.BRANCH:
            problem(
                number,
                "parent",
                _("%(name)s is a branch; a branch cannot have subordinate organizations.")
                % {"name": existing[parent].name},
                parent,
            )
            bad = True
        if not bad:
            rows.append({"row": number, "code": code, "name": name, "kind": kind, "sector": sector, "parent": parent})

    problems.extend(_cycles(records, labels))
    # Branches in the file cannot be parents either.
    kinds_in_file = {r["code"]: r["kind"] for r in rows}
    for row in rows:
        if kinds_in_file.get(row["parent"]) == Kind.BRANCH:
            problems.append(
                Problem(
                    row=row["row"],
                    column=labels["parent"],
                    value=row["parent"],
                    message=_("%(code)s is a branch; a branch cannot have subordinate organizations.")
                    % {"code": row["parent"]},
                )
            )
    problems.sort(key=lambda p: p.row or 0)
    return Checked(rows=rows, problems=problems)


def _cycles(records, labels) -> list[Problem]:
    """Rows whose chain of parents inside the file comes back to itself."""
    parent_of: dict[str, str] = {}
    row_of: dict[str, int] = {}
    for number, record in records:
        if record["code"] and record["code"] not in row_of:
            parent_of[record["code"]] = record["parent"]
            row_of[record["code"]] = number
    problems, reported = [], set()
    for start in parent_of:
        chain, seen = [start], {start}
        node = parent_of.get(start)
        while node in parent_of and node not in seen:
            chain.append(node)
            seen.add(node)
            node = parent_of.get(node)
        if node == start and len(chain) > 1 and start not in reported:
            loop = " → ".join([*chain, start])
            for code in chain:
                reported.add(code)
                problems.append(
                    Problem(
                        row=row_of[code],
                        column=labels["parent"],
                        value=parent_of[code],
                        message=_("The parent codes go round in a circle: %(loop)s.") % {"loop": loop},
                    )
                )
    return problems


def order_parents_first(rows: list[dict]) -> list[dict]:
    """The rows so that each parent comes before its children (rows may list children first)."""
    in_file = {row["code"] for row in rows}
    children: dict[str, list[dict]] = {}
    ordered = []
    for row in rows:
        if row["parent"] in in_file:
            children.setdefault(row["parent"], []).append(row)
        else:
            ordered.append(row)
    index = 0
    while index < len(ordered):
        ordered.extend(children.get(ordered[index]["code"], []))
        index += 1
    return ordered


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------
def _check_members(records, labels) -> Checked:
    problems: list[Problem] = []
    rows: list[dict] = []
    orgs = {
        o.code: o
        for o in Organization.objects.filter(code__in={r["organization"] for _n, r in records if r["organization"]})
    }
    phones: dict[str, int] = {}
    normalized: dict[int, str] = {}

    def problem(number, key, message, value=""):
        problems.append(Problem(row=number, column=labels.get(key, key), value=value, message=message))

    for number, record in records:
        try:
            phone = normalize_phone(record["phone"])
        except ValidationError as exc:
            problem(number, "phone", exc.messages[0], record["phone"])
            continue
        normalized[number] = phone
    holders = {
        m.phone: m
        for m in Member.objects.active()
        .filter(phone__in=[p for p in normalized.values() if p])
        .select_related("organization")
    }
    for number, record in records:
        name, code, raw_position = record["name"], record["organization"], record["position"]
        bad = number not in normalized
        phone = normalized.get(number, "")
        if not name:
            problem(number, "name", _("Enter the member's name."))
            bad = True
        elif len(name) > 50:
            problem(number, "name", _("The name is longer than 50 characters."), name)
            bad = True
        org = orgs.get(code)
        if not code:
            problem(number, "organization", _("Enter the code of the member's organization."))
            bad = True
        elif org is None:
            problem(
                number, "organization", _("Organization code %(code)s is not in the system.") % {"code": code}, code
            )
            bad = True
        elif not org.is_active:
            problem(number, "organization", _("%(name)s is no longer active.") % {"name": org.name}, code)
            bad = True
        position = POSITION_LOOKUP.get(raw_position.lower()) if raw_position else Position.MEMBER
        if position is None:
            problem(
                number,
                "position",
                _("Unknown position “%(value)s”. Use one of: 书记, 副书记, 委员, 党员.") % {"value": raw_position},
                raw_position,
            )
            bad = True
        if phone:
            if phone in phones:
                problem(
                    number,
                    "phone",
                    _("Phone %(phone)s is already used in row %(row)d of this file.")
                    % {"phone": phone, "row": phones[phone]},
                    phone,
                )
                bad = True
            elif phone in holders:
                holder = holders[phone]
                problem(
                    number,
                    "phone",
                    _("%(phone)s already belongs to %(name)s (%(org)s).")
                    % {"phone": phone, "name": holder.name, "org": holder.organization.name},
                    phone,
                )
                bad = True
            phones.setdefault(phone, number)
        if not bad:
            rows.append({"row": number, "name": name, "organization": code, "position": position, "phone": phone})
    problems.sort(key=lambda p: p.row or 0)
    return Checked(rows=rows, problems=problems)


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------
TEMPLATE_NAMES = {
    RosterImport.Kind.ORGANIZATIONS: gettext_lazy("organizations-template"),
    RosterImport.Kind.MEMBERS: gettext_lazy("members-template"),
}


def template_workbook(kind: str) -> bytes:
    """An .xlsx with the Chinese headers, example rows and a sheet explaining the allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "组织" if kind == RosterImport.Kind.ORGANIZATIONS else "党员"
    headers = [label for _key, label in COLUMNS[kind]]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C8161D")
    for example in EXAMPLES[kind]:
        sheet.append(example)
    for index, header in enumerate(headers):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = max(14, len(header) * 3)
        if header == "手机号":
            # Text, so that a spreadsheet does not turn phone numbers into 1.38E+10.
            for row in range(2, 2001):
                sheet[f"{letter}{row}"].number_format = "@"
    help_sheet = workbook.create_sheet("说明")
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 80
    if kind == RosterImport.Kind.ORGANIZATIONS:
        lines = [
            ("组织代码", "必填。字母、数字、-、_，最多 32 位，全区唯一，用于公开栏网址。"),
            ("组织名称", "必填。"),
            ("组织类别", "必填：" + "、".join(v[0] for v in KIND_ZH.values())),
            ("所属领域", "可空：" + "、".join(v[0] for v in SECTOR_ZH.values())),
            ("上级组织代码", "除区委外必填。可以是系统中已有的组织，也可以是本文件中的组织（先后顺序不限）。"),
        ]
    else:
        lines = [
            ("姓名", "必填。"),
            ("组织代码", "必填，系统中已有的组织代码。"),
            ("职务", "可空（默认为党员）：书记、副书记、委员、党员。书记将成为该组织的支部书记账号。"),
            ("手机号", "可空。11 位手机号，全区唯一；未被占用时即为登录名，否则自动生成登录名。"),
        ]
    help_sheet.append(["列", "填写说明"])
    for line in lines:
        help_sheet.append(list(line))
    help_sheet.append([])
    help_sheet.append(["注意", "有任何一行不合格，整个文件都不会导入，并逐行列出问题。请删除示例行后再填写。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
