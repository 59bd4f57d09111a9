"""Tibetan names for the demo (藏文姓名 / 藏文名称). The officers' names are the Tibetan spellings of their
fictional Tibetan names; the communities' are demonstration renderings (a transliteration or translation of
the Chinese name, followed by སྡོད་ཁུལ་ "community") that an administrator replaces with the official ones in
the admin site. Han officers have none: the field is optional."""

OFFICERS = {
    "扎西多杰": "བཀྲ་ཤིས་རྡོ་རྗེ།",
    "才仁旺姆": "ཚེ་རིང་དབང་མོ།",
    "尼玛江措": "ཉི་མ་རྒྱ་མཚོ།",
    "索南达杰": "བསོད་ནམས་དར་རྒྱས།",
    "格桑卓玛": "སྐལ་བཟང་སྒྲོལ་མ།",
    "拉巴次仁": "ལྷག་པ་ཚེ་རིང་།",
    "昂文求培": "ངག་དབང་ཆོས་འཕེལ།",
    "多杰仁青": "རྡོ་རྗེ་རིན་ཆེན།",
    "白玛措": "པདྨ་མཚོ།",
    "更松尼玛": "དཀོན་གསུམ་ཉི་མ།",
    "巴桑拉毛": "པ་སངས་ལྷ་མོ།",
    "仁增旦巴": "རིག་འཛིན་བསྟན་པ།",
    "久美多杰": "འཇིགས་མེད་རྡོ་རྗེ།",
    "桑丁卓玛": "བསམ་གཏན་སྒྲོལ་མ།",
    "洛松扎西": "བློ་བཟང་བཀྲ་ཤིས།",
}

# community code -> a demonstration Tibetan name
COMMUNITIES = {
    "xinjianlu": "ཤིན་ཅན་ལམ་སྡོད་ཁུལ།",
    "hongweilu": "ཧུང་ཝེ་ལམ་སྡོད་ཁུལ།",
    "minzhulu": "དམངས་གཙོ་ལམ་སྡོད་ཁུལ།",
    "zhaxinanlu": "བཀྲ་ཤིས་ལྷོ་ལམ་སྡོད་ཁུལ།",
    "xihang": "ཞི་ཧང་སྡོད་ཁུལ།",
    "shenglilu": "རྒྱལ་ཁ་ལམ་སྡོད་ཁུལ།",
    "zhaxidatong": "བཀྲ་ཤིས་ཐ་ཐུང་སྡོད་ཁུལ།",
    "denige": "བདེ་ཉི་དགེ་སྡོད་ཁུལ།",
    "dexiuge": "བདེ་ཞུ་དགེ་སྡོད་ཁུལ།",
    "zhaxike": "བཀྲ་ཤིས་ཁོག་སྡོད་ཁུལ།",
    "xitong": "ཞི་ཐུང་སྡོད་ཁུལ།",
    "xinzhai": "ཞིན་ཚེ་སྡོད་ཁུལ།",
    "qionglong": "ཁྱུང་ལུང་སྡོད་ཁུལ།",
    "dangdai": "ཐང་དཀར་སྡོད་ཁུལ།",
    "daimo": "བདེ་མོ་སྡོད་ཁུལ།",
}


def officer_name_bo(name: str) -> str:
    """The Tibetan name of a demo officer (name without （演示）), or ""."""
    return OFFICERS.get(name.split("（")[0], "")
