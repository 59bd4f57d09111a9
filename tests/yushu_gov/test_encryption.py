"""Personal data encrypted at rest: officers' ID and mobile numbers are SM4-GCM ciphertext in the database,
plaintext in Python; uniqueness and exact look-up go through a keyed hash; the key rotates with a
command; the migration encrypts the rows already there, and going back decrypts them."""

import io
import re

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from officers import services
from officers.models import Officer
from yushu_gov.security import crypto
from yushu_gov.security.crypto import DecryptionError, decrypt, encrypt

from ..factories import OfficerFactory, valid_id_number

NEW_KEY = crypto.generate_master_key()


def raw_row(officer) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, mobile, id_number_hash, mobile_hash FROM officers_officer WHERE id = %s", [officer.pk]
        )
        return dict(zip(["id_number", "mobile", "id_number_hash", "mobile_hash"], cursor.fetchone(), strict=True))


def test_a_value_round_trips_and_each_encryption_differs():
    one, two = encrypt("632701199001011233", context="t.c"), encrypt("632701199001011233", context="t.c")
    assert one != two and one.startswith("sm4gcm:")
    assert decrypt(one, context="t.c") == decrypt(two, context="t.c") == "632701199001011233"


def test_an_altered_value_or_one_from_another_column_does_not_decrypt():
    stored = encrypt("13912345678", context="officers.officer.mobile")
    with pytest.raises(DecryptionError):
        decrypt(stored, context="officers.officer.id_number")
    head, body = stored.rsplit(":", 1)
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(DecryptionError):
        decrypt(f"{head}:{flipped}", context="officers.officer.mobile")
    with pytest.raises(DecryptionError, match="not an encrypted value"):
        decrypt("13912345678", context="officers.officer.mobile")  # plaintext left in the column


def test_the_database_holds_no_number_in_clear(reference):
    officer = OfficerFactory(id_number=valid_id_number(7), mobile="13912345678")
    row = raw_row(officer)
    assert row["id_number"].startswith("sm4gcm:") and row["mobile"].startswith("sm4gcm:")
    assert officer.id_number not in str(row) and "12345678" not in str(row)
    assert re.fullmatch(r"[0-9a-f]{64}", row["id_number_hash"])
    fresh = Officer.objects.get(pk=officer.pk)
    assert (fresh.id_number, fresh.mobile) == (officer.id_number, "13912345678")


def test_exact_look_up_through_the_keyed_hash(reference):
    number = valid_id_number(8)
    officer = OfficerFactory(id_number=number, mobile="13912340000")
    assert list(Officer.objects.with_id_number(number)) == [officer]
    assert list(Officer.objects.with_id_number(f" {number[:6]} {number[6:]} ")) == [officer]
    assert list(Officer.objects.with_mobile("13912340000")) == [officer]
    assert not Officer.objects.with_id_number(valid_id_number(9)).exists()
    with pytest.raises(FieldError):
        Officer.objects.filter(id_number=number).exists()  # would compare ciphertexts: refused


def test_an_id_number_is_registered_once(city_admin, reference):
    number = valid_id_number(10)
    OfficerFactory(id_number=number)
    data = {
        "name": "重复", "gender": "male", "ethnicity": "han", "police_number": "639999", "id_number": number,
        "mobile": "13900001111", "work_phone": "", "station": reference["jiegu_station"], "rank": "", "post": "",
        "party_status": "full", "party_member_since": "2012-07-01", "bilingual": False,
    }  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.officer_create(by=city_admin, data=data)
    assert exc.value.message_dict["id_number"] == ["该身份证号码已登记，不能重复登记同一名民警。"]
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database itself refuses it
        Officer.objects.create(
            **{**data, "police_number": "639998", "party_member_since": None, "party_status": "none"}
        )


def test_a_changed_number_changes_its_hash(city_admin, reference):
    officer = OfficerFactory()
    old_hash = raw_row(officer)["id_number_hash"]
    services.officer_update(officer=officer, by=city_admin, data={"id_number": valid_id_number(11)})
    assert raw_row(officer)["id_number_hash"] not in (None, old_hash)
    assert Officer.objects.with_id_number(valid_id_number(11)).get() == officer


def test_the_key_rotates(reference, settings):
    officers = OfficerFactory.create_batch(3)
    old = settings.PERSONAL_DATA_KEYS[0]
    settings.PERSONAL_DATA_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionError, match="PERSONAL_DATA_KEYS does not hold"):
        Officer.objects.get(pk=officers[0].pk)  # the old key is still needed until the rotation has run
    settings.PERSONAL_DATA_KEYS = [NEW_KEY, old]
    assert Officer.objects.with_id_number(officers[0].id_number).exists()  # look-up works during the rotation
    with pytest.raises(Exception, match="older key"):
        call_command("rotate_personal_data_key", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rotate_personal_data_key", stdout=out)
    assert "officers.Officer: 3 rows re-encrypted" in out.getvalue()
    settings.PERSONAL_DATA_KEYS = [NEW_KEY]  # the old key can go
    for officer in officers:
        fresh = Officer.objects.get(pk=officer.pk)
        assert (fresh.id_number, fresh.mobile) == (officer.id_number, officer.mobile)
        assert Officer.objects.with_id_number(officer.id_number).get() == fresh
    call_command("rotate_personal_data_key", "--check", stdout=io.StringIO())


def test_the_officer_form_never_echoes_a_typed_number(client_for, reference):
    number, mobile = valid_id_number(12), "13988887777"
    response = client_for("city_admin").post(
        reverse("officers:create"),
        {"name": "", "gender": "male", "ethnicity": "han", "police_number": "638888", "id_number": number,
         "mobile": mobile, "station": reference["jiegu_station"].pk, "party_status": "full"},
    )  # fmt: skip
    assert response.status_code == 200  # the name is missing
    html = response.content.decode()
    assert number not in html and mobile not in html
    assert "不会再次显示" in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_already_there_and_going_back_decrypts_them(reference):
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)

    before = [("officers", "0008_constraint_messages")]
    migrate(before)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM communities_policestation LIMIT 1")
            station = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO officers_officer (name, gender, ethnicity, police_number, id_number, mobile, work_phone, "
                "station_id, rank, post, party_status, bilingual, photo, created_at, updated_at) VALUES "
                "('旧', 'male', 'han', '600001', %s, '13911112222', '', %s, '', '', 'none', FALSE, '', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                [valid_id_number(14), station],
            )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    officer = Officer.objects.get(police_number="600001")
    assert (officer.id_number, officer.mobile) == (valid_id_number(14), "13911112222")
    row = raw_row(officer)
    assert row["id_number"].startswith("sm4gcm:") and "13911112222" not in str(row)
    migrate(before)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, mobile FROM officers_officer WHERE police_number = '600001'")
            assert cursor.fetchone() == (valid_id_number(14), "13911112222")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
