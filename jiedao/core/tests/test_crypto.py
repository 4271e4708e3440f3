import datetime as dt

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from jiedao.core import crypto
from jiedao.core.models import AuditLog
from jiedao.core.services import rotate_field_keys
from jiedao.core.validators import id_check_digit
from jiedao.registry.models import Household, Resident

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def new_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def household(world):
    return Household.objects.create(subdistrict=world.sub, building=world.b11, room="301", code="H1")


@pytest.fixture
def make_resident(household):
    def _make(*, id_number: str = ID_NUMBER, phone: str = PHONE, name: str = "张三") -> Resident:
        return Resident.objects.create(
            subdistrict=household.subdistrict, household=household, name=name, id_number=id_number, phone=phone,
            sex=Resident.Sex.FEMALE, birth_date=dt.date(1949, 12, 31),
        )

    return _make


def numbered_id(i: int) -> str:
    """A valid ID number distinct for each ``i`` (current residents' ID numbers are unique)."""
    first17 = f"31010719800101{i:03d}"
    return first17 + id_check_digit(first17)


def raw_row(pk: int) -> dict[str, str]:
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, id_number_index, phone_index FROM registry_resident WHERE id = %s",
                    [pk])
        id_number, phone, id_index, phone_index = cur.fetchone()
    return {"id_number": id_number, "phone": phone, "id_number_index": id_index, "phone_index": phone_index}


# --- at rest ----------------------------------------------------------------------------------------


def test_stored_columns_hold_fernet_tokens_not_the_plain_values(make_resident, settings):
    resident = make_resident()
    row = raw_row(resident.pk)
    key = Fernet(settings.FIELD_KEYS[0].encode())
    for column, plain in (("id_number", ID_NUMBER), ("phone", PHONE)):
        assert plain not in row[column]
        assert row[column].startswith("gAAAAA")  # Fernet version byte 0x80, base64
        assert key.decrypt(row[column].encode()).decode() == plain


def test_blind_indexes_do_not_hold_the_plain_values(make_resident):
    row = raw_row(make_resident().pk)
    for column in ("id_number_index", "phone_index"):
        assert len(row[column]) == 64
        int(row[column], 16)  # a hex HMAC digest
    assert row["id_number_index"] != row["phone_index"]
    assert ID_NUMBER not in row["id_number_index"] and PHONE not in row["phone_index"]


def test_equal_values_get_different_tokens(make_resident, household):
    first = make_resident()
    second = make_resident(name="李四", id_number=numbered_id(1))  # same phone, another ID (IDs are unique)
    assert raw_row(first.pk)["phone"] != raw_row(second.pk)["phone"]
    assert raw_row(first.pk)["phone_index"] == raw_row(second.pk)["phone_index"]


def test_values_read_back_decrypted(make_resident):
    pk = make_resident().pk
    resident = Resident.objects.get(pk=pk)
    assert (resident.id_number, resident.phone) == (ID_NUMBER, PHONE)
    assert list(Resident.objects.filter(pk=pk).values_list("id_number", "phone")) == [(ID_NUMBER, PHONE)]


def test_a_blank_phone_is_stored_blank_and_read_back_blank(make_resident):
    resident = make_resident(phone="")
    assert raw_row(resident.pk)["phone"] == ""
    assert raw_row(resident.pk)["phone_index"] == ""
    assert Resident.objects.get(pk=resident.pk).phone == ""


def test_saving_again_keeps_the_value_and_re_encrypts(make_resident):
    resident = make_resident()
    before = raw_row(resident.pk)["id_number"]
    resident = Resident.objects.get(pk=resident.pk)
    resident.name = "张三丰"
    resident.save()
    assert Resident.objects.get(pk=resident.pk).id_number == ID_NUMBER
    assert raw_row(resident.pk)["id_number"] != before


# --- exact lookup through the blind index -------------------------------------------------------------


def test_exact_lookup_finds_the_row(make_resident):
    resident = make_resident()
    make_resident(id_number="310107199001011234", phone="13900000000", name="李四")
    found = Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", ID_NUMBER))
    assert list(found) == [resident]
    by_phone = Resident.objects.filter(**crypto.lookup_value(Resident, "phone", PHONE))
    assert list(by_phone) == [resident]


@pytest.mark.parametrize("variant", ["11010519491231002x", " 110105 19491231 002x ", "110105\t19491231002X"])
def test_lookup_ignores_case_of_x_and_spaces(make_resident, variant):
    resident = make_resident()
    assert list(Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", variant))) == [resident]


def test_lookup_of_another_value_finds_nothing(make_resident):
    make_resident()
    assert not Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", "110105194912310039")).exists()


def test_the_same_value_gets_different_indexes_in_different_fields():
    by_id = crypto.lookup_value(Resident, "id_number", PHONE)
    by_phone = crypto.lookup_value(Resident, "phone", PHONE)
    assert by_id.keys() == {"id_number_index"} and by_phone.keys() == {"phone_index"}
    assert by_id["id_number_index"] != by_phone["phone_index"]


def test_lookup_on_a_field_without_blind_index_is_refused():
    with pytest.raises(ImproperlyConfigured, match="没有盲索引"):
        crypto.lookup_value(Resident, "name", "张三")


def test_changing_the_value_moves_the_index(make_resident):
    resident = make_resident()
    resident.id_number = "310107199001011234"
    resident.save()
    assert not Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", ID_NUMBER)).exists()
    assert Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", "310107199001011234")).get() == resident


@pytest.mark.parametrize(
    "lookup", ["id_number", "id_number__exact", "id_number__iexact", "id_number__startswith", "id_number__in",
               "phone__contains"]
)
def test_filtering_on_an_encrypted_field_is_refused(make_resident, lookup):
    make_resident()
    value = [ID_NUMBER] if lookup.endswith("__in") else ID_NUMBER
    with pytest.raises(FieldError):
        list(Resident.objects.filter(**{lookup: value}))


def test_isnull_is_the_one_lookup_allowed(make_resident):
    resident = make_resident()
    assert list(Resident.objects.filter(id_number__isnull=False)) == [resident]


def test_bulk_create_fills_the_blind_index(household):
    ids = ["310107199001011234", "31010719850612004X", ID_NUMBER]
    Resident.objects.bulk_create([
        Resident(subdistrict=household.subdistrict, household=household, name=f"居民{i}", id_number=number,
                 phone=f"1390000000{i}", sex=Resident.Sex.MALE, birth_date=dt.date(1990, 1, 1))
        for i, number in enumerate(ids)
    ])
    for i, number in enumerate(ids):
        found = Resident.objects.get(**crypto.lookup_value(Resident, "id_number", number))
        assert found.name == f"居民{i}"
        assert found.id_number == number
        assert Resident.objects.get(**crypto.lookup_value(Resident, "phone", f"1390000000{i}")) == found


def test_bulk_update_keeps_the_blind_index_in_step(make_resident):
    resident = make_resident()
    resident.id_number = "310107199001011234"
    Resident.objects.bulk_update([resident], ["id_number", "id_number_index"])
    assert Resident.objects.get(pk=resident.pk).id_number == "310107199001011234"
    assert Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", "310107199001011234")).exists()
    assert not Resident.objects.filter(**crypto.lookup_value(Resident, "id_number", ID_NUMBER)).exists()


# --- keys ---------------------------------------------------------------------------------------------


def test_rows_written_under_the_old_key_still_decrypt_while_it_is_listed(make_resident, settings):
    old_key = settings.FIELD_KEYS[0]
    pk = make_resident().pk
    settings.FIELD_KEYS = [new_key(), old_key]
    assert Resident.objects.get(pk=pk).id_number == ID_NUMBER


def test_new_rows_are_written_under_the_newest_key(make_resident, settings):
    old_key = settings.FIELD_KEYS[0]
    fresh = new_key()
    settings.FIELD_KEYS = [fresh, old_key]
    row = raw_row(make_resident().pk)
    assert Fernet(fresh.encode()).decrypt(row["id_number"].encode()).decode() == ID_NUMBER


def test_after_rotation_rows_decrypt_with_the_new_key_alone(make_resident, settings):
    old_key = settings.FIELD_KEYS[0]
    pks = [make_resident(name=f"居民{i}", id_number=numbered_id(i)).pk for i in range(3)]
    blank = make_resident(phone="", name="无手机", id_number=numbered_id(9)).pk
    fresh = new_key()

    settings.FIELD_KEYS = [fresh]
    with pytest.raises(crypto.FieldDecryptionError):
        Resident.objects.get(pk=pks[0])  # the old rows really need the old key

    settings.FIELD_KEYS = [fresh, old_key]
    counts = rotate_field_keys(batch_size=2)  # several batches
    assert counts["registry.Resident"] == 4

    settings.FIELD_KEYS = [fresh]
    for i, pk in enumerate(pks):
        resident = Resident.objects.get(pk=pk)
        assert (resident.id_number, resident.phone) == (numbered_id(i), PHONE)
    assert Resident.objects.get(pk=blank).phone == ""
    with pytest.raises(InvalidToken):  # the old key no longer opens them
        Fernet(old_key.encode()).decrypt(raw_row(pks[0])["id_number"].encode())


def test_rotation_keeps_the_blind_indexes(make_resident, settings):
    resident = make_resident()
    settings.FIELD_KEYS = [new_key(), settings.FIELD_KEYS[0]]
    rotate_field_keys()
    assert Resident.objects.get(**crypto.lookup_value(Resident, "id_number", ID_NUMBER)) == resident


def test_rotation_is_recorded_in_the_audit_log(make_resident, settings):
    make_resident()
    make_resident(name="李四", id_number=numbered_id(1))
    settings.FIELD_KEYS = [new_key(), settings.FIELD_KEYS[0]]
    rotate_field_keys()
    entry = AuditLog.objects.get(action="key_rotated")
    assert entry.detail["rows"]["registry.Resident"] == 2
    assert entry.actor is None and entry.actor_username == "system"


def test_rotation_with_a_key_that_opens_nothing_fails_and_changes_nothing(make_resident, settings):
    resident = make_resident()
    before = raw_row(resident.pk)
    settings.FIELD_KEYS = [new_key()]
    with pytest.raises(crypto.FieldDecryptionError):
        rotate_field_keys()
    assert raw_row(resident.pk) == before
    assert not AuditLog.objects.filter(action="key_rotated").exists()


def test_a_wrong_key_raises_instead_of_returning_the_ciphertext(make_resident, settings):
    resident = make_resident()
    token = raw_row(resident.pk)["id_number"]
    settings.FIELD_KEYS = [new_key()]
    with pytest.raises(crypto.FieldDecryptionError) as info:
        Resident.objects.get(pk=resident.pk)
    assert token not in str(info.value)
    with pytest.raises(crypto.FieldDecryptionError):
        list(Resident.objects.values_list("id_number", flat=True))
    with pytest.raises(crypto.FieldDecryptionError):
        resident.refresh_from_db()
    assert resident.id_number == ID_NUMBER  # the instance was not overwritten with the token


def test_missing_keys_are_a_configuration_error(settings):
    settings.FIELD_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.FIELD_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


# --- masking and str() -------------------------------------------------------------------------------


def test_id_numbers_are_masked_to_region_and_last_four():
    assert crypto.mask_id_number("310107199001011234") == "3101**********1234"
    assert crypto.mask_id_number(ID_NUMBER) == "1101**********002X"


def test_phones_are_masked_to_prefix_and_last_four():
    assert crypto.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("value", [None, ""])
def test_masking_nothing_gives_nothing(value):
    assert crypto.mask_id_number(value) == ""
    assert crypto.mask_phone(value) == ""


def test_short_phones_are_masked_entirely():
    assert crypto.mask_phone("110") == "***"


def test_str_of_a_resident_carries_no_personal_data(make_resident):
    resident = make_resident(name="王小明")
    text = str(resident)
    assert text == f"居民#{resident.pk}"
    for secret in ("王小明", ID_NUMBER, ID_NUMBER[-4:], PHONE, PHONE[-4:]):
        assert secret not in text
