"""KoBoToolbox-style caseload exports for the import tests and the benchmark."""
import csv
import io
import uuid

HEADERS = ["start", "end", "today", "identity/first_name", "identity/last_name",
           "identity/other_names", "identity/sex", "identity/birth_date", "identity/age",
           "identity/category", "group_lang/languages", "contact/phone", "contact/id_number",
           "contact/address", "meta/instanceID", "_id", "_uuid", "_submission_time", "_index"]
FIRST = ["Moussa", "Aissatou", "Oumarou", "Hadidja", "Boukar", "Fadimatou", "Ibrahim",
         "Zara", "Abakar", "Mairamou"]
LAST = ["Goni", "Mahamat", "Abdoulaye", "Bello", "Djidda", "Adamou", "Modou", "Kolo"]


def letters(n):
    out = ""
    for _ in range(3):
        n, r = divmod(n, 26)
        out += chr(97 + r)
    return out


def row(i):
    female = i % 2 == 1
    first = f"{FIRST[i % len(FIRST)]}{letters(i)}"
    year = 1975 + i % 25
    uid = str(uuid.UUID(int=i + 1))
    return {"start": "2023-03-01T08:00:00.000+01:00", "end": "2023-03-01T08:20:00.000+01:00",
            "today": "2023-03-01", "identity/first_name": first,
            "identity/last_name": LAST[i % len(LAST)], "identity/other_names": "",
            "identity/sex": "female" if female else "male",
            "identity/birth_date": f"{year}-0{1 + i % 9}-1{i % 9}" if i % 3 else "",
            "identity/age": "" if i % 3 else str(2025 - year),
            "identity/category": "adult_woman" if female else "adult_man",
            "group_lang/languages": "fr ff" if i % 4 else "ha",
            "contact/phone": f"+2376{i:08d}", "contact/id_number": f"DDR-{i:06d}",
            "contact/address": "Mora", "meta/instanceID": f"uuid:{uid}", "_id": str(1000 + i),
            "_uuid": uid, "_submission_time": "2023-03-01T09:00:00", "_index": str(i + 1)}


def kobo_rows(n):
    return [row(i) for i in range(n)]


def to_csv(rows, delimiter=";"):
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r[h] for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
