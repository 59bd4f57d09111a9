import pytest
from django.core.exceptions import ValidationError

from yushu_gov.security.masking import mask_id_number, mask_mobile, mask_text
from yushu_gov.input.validators import id_check_digit, validate_id_number, validate_mobile

# Check digits worked out with the GB 11643-1999 weights (2^(17-i) mod 11): 196 % 11 = 9 -> "3"; 229 % 11 = 9 -> "3".
GOOD = ["11010519491231002X", "440524198001010013", "632701199001011233"]


@pytest.mark.parametrize("number", GOOD)
def test_good_id_numbers_pass(number):
    validate_id_number(number)


def test_lowercase_x_is_accepted_after_normalisation():
    validate_id_number("11010519491231002x")


def test_check_digit_arithmetic():
    # sum of digit*weight for 11010519491231002 is 167; 167 % 11 = 2 -> "X"
    assert id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(
    "number, code",
    [
        ("110105194912310021", "id_checksum"),  # X replaced by 1
        ("632701199001011231", "id_checksum"),
        ("63270119900101123", "id_format"),  # 17 characters
        ("6327011990010112300", "id_format"),  # 19 characters
        ("63270119900101123A", "id_format"),
        ("632701199013011234", "id_birth_date"),  # month 13
        ("632701290001011234", "id_birth_date"),  # born in the future
    ],
)
def test_bad_id_numbers_fail_without_repeating_the_number(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == code
    assert number not in " ".join(exc.value.messages)


@pytest.mark.parametrize("number", ["13912345678", "19987654321"])
def test_good_mobiles(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["12912345678", "1391234567", "139123456789", "0976-8823110"])
def test_bad_mobiles(number):
    with pytest.raises(ValidationError):
        validate_mobile(number)


def test_masking():
    assert mask_id_number("632701199001011230") == "632701********1230"
    assert mask_mobile("13912345678") == "139****5678"
    assert mask_text("身份证632701199001011230，电话13912345678") == "身份证632701********1230，电话139****5678"


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("+8613912345678", "139****5678"),
        ("86 139 1234 5678", "139****5678"),
        ("139-1234-5678", "139****5678"),
        ("１３９１２３４５６７８", "139****5678"),
        ("632701 19900101 1233", "632701********1233"),
        ("旧证632701900101123号", "旧证632701*****1123号"),
        # the separators and neighbours the assessment found unmasked
        ("身份证632701/19900101/1233", "身份证632701********1233"),
        ("身份证632701_19900101_1233", "身份证632701********1233"),
        ("身份证632701，19900101，1233", "身份证632701********1233"),
        ("632701199001011233x", "632701********1233x"),
        ("632701199001011233abc", "632701********1233abc"),
        ("x632701199001011233", "x632701********1233"),
        ("电话139/1234/5678", "电话139****5678"),
        ("139_1234_5678", "139****5678"),
        ("139 - 1234 - 5678", "139****5678"),
        ("１３９／１２３４／５６７８", "139****5678"),
        ("6327 0119 9001 0112 33", "632701********1233"),
        ("身份证：632701、19900101、1233。", "身份证：632701********1233。"),
    ],
)
def test_masking_catches_numbers_however_they_are_typed(typed, shown):
    assert mask_text(typed) == shown


@pytest.mark.parametrize(
    "text", ["案号2023123", "0976-8823110", "2023-05-01至2023-06-30", "金额50000元", "2023/05/10 14:30", "第3、5、8户"]
)
def test_masking_leaves_other_numbers_alone(text):
    assert mask_text(text) == text
