"""Each translated message is written once in production code: a form, a service and a constraint that say the
same thing import it from one place (an app's messages.py, or the constraint's violation_error_message), so a
change of wording cannot reach one of them and miss another.

Walks every production module of the project's apps (not the tests, not the migrations) with `ast` and collects
the literal first argument of each call to a translation function (with its context for pgettext)."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("yushu_gov", "communities", "officers", "assessments")
TRANSLATE = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy"}


# Repeats found when this test was written, mostly the names of fields and columns (a model's field label and
# the export's column header, verbose_name and verbose_name_plural) and, in the talks, messages whose code is
# being reworked elsewhere. Take an entry off when its message is written once; add none.
KNOWN_REPEATS = {
    "IP 地址",
    "上报日期",
    "上报请示",
    "业务考核得分",
    "个人信息删除时间",
    "为民办实事/解决实际困难",
    "人选推荐",
    "任命书编号",
    "任命大会日期",
    "任职",
    "任职文号",
    "会议日期",
    "修改工作台账",
    "修改已结束月份的谈话记录，须填写修改原因。",
    "修改民警信息",
    "修改谈话记录",
    "党员民警",
    "入户走访（敲门行动）",
    "其他",
    "其他议题",
    "兼任社区",
    "创建时间",
    "删除原因",
    "删除已上传的附件",
    "办理中",
    "办理离任",
    "办结时间",
    "办结期限",
    "办结答复",
    "原因",
    "原附件",
    "双述职双考核",
    "发文备案",
    "发文日期",
    "受理",
    "变更内容",
    "名称",
    "名称已核实",
    "响应时间",
    "响应期限",
    "姓名",
    "姓名、拼音或警号",
    "审定归档",
    "审查日期",
    "审查说明",
    "审计日志",
    "宣誓日期",
    "对象",
    "对象类型",
    "履职评分",
    "工作内容",
    "工作台账",
    "工作类型",
    "已办结",
    "已督办",
    "已逾期",
    "帮扶慰问",
    "平安建设",
    "年份",
    "年度",
    "年度考核",
    "序号",
    "录入人",
    "录入工作台账",
    "待受理",
    "慰问金额（元）",
    "截止日期",
    "所属派出所",
    "所属街道",
    "手机号码",
    "挽回损失（元）",
    "排序",
    "推荐日期",
    "推荐理由",
    "提交时间",
    "撤回",
    "操作",
    "政策宣传",
    "日期",
    "时间",
    "更新时间",
    "月份",
    "月份应为1至12。",
    "未核实的名称在页面上显示“名称待核实”标记。",
    "案件编号",
    "步骤",
    "民警",
    "民警思想状况及意见建议",
    "治安巡逻",
    "治安案件查处",
    "治安防控",
    "派出所",
    "涉及人数",
    "涉及户数",
    "照片",
    "状态",
    "玉树市党员民警兼任社区党支部副书记管理系统",
    "用户",
    "登记到任",
    "矛盾纠纷调解",
    "研究任职",
    "社会维稳",
    "社区",
    "社区名称或拼音",
    "社区基层党建",
    "离任原因",
    "离任日期",
    "符合",
    "第一季度平时考核",
    "第三季度平时考核",
    "第二季度平时考核",
    "第四季度平时考核",
    "答复",
    "筛选条件",
    "类别",
    "纠纷等级",
    "经办人",
    "综合得分",
    "综合等次",
    "综合评定",
    "编码",
    "群众诉求",
    "职务",
    "街道",
    "街道办理",
    "角色",
    "角色与范围",
    "警号",
    "警情接报数",
    "记录人",
    "记录谈心谈话",
    "评价",
    "评先评优候选",
    "评议等次",
    "诉求内容",
    "诉求类别",
    "说明",
    "请填写删除原因。",
    "调解结果",
    "谈心谈话",
    "谈话主要内容",
    "谈话人",
    "谈话人职务",
    "谈话地点",
    "谈话对象",
    "谈话日期",
    "谈话时间",
    "谈话议题",
    "负责民警",
    "资格审查",
    "资格标准",
    "起始日期",
    "跟进措施",
    "身份证号码",
    "转入社区",
    "述职报告",
    "述职报告附件",
    "述职日期",
    "退回",
    "防返贫监测排查",
    "隐患排查",
    "颁发任命书日期",
}


def production_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def translated_messages(source: str):
    """(message key, line) for each translation call with a literal message; the key carries the context."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _name(node.func) not in TRANSLATE:
            continue
        if _name(node.func) in WITH_CONTEXT:
            if len(node.args) >= 2 and _literal(node.args[0]) is not None and _literal(node.args[1]) is not None:
                yield f"{_literal(node.args[0])}\x04{_literal(node.args[1])}", node.lineno
        elif node.args and _literal(node.args[0]) is not None:
            yield _literal(node.args[0]), node.lineno


def test_the_collector_finds_messages_and_their_context():
    source = (
        'x = _("甲")\ny = gettext_lazy("甲")\nz = pgettext("月份", "甲")\nw = translation.ngettext("乙", "丙", 2)\n'
    )
    assert list(translated_messages(source)) == [("甲", 1), ("甲", 2), ("月份\x04甲", 3), ("乙", 4)]


def test_the_walk_reaches_every_app_and_skips_migrations():
    paths = [path.relative_to(ROOT).as_posix() for path in production_modules()]
    assert "yushu_gov/access/rights.py" in paths
    assert "officers/talks/services.py" in paths
    assert "assessments/reports/selectors.py" in paths
    assert not [path for path in paths if "/migrations/" in path]


def test_each_message_is_written_once():
    places = defaultdict(set)
    for path in production_modules():
        for message, line in translated_messages(path.read_text(encoding="utf-8")):
            places[message].add(f"{path.relative_to(ROOT).as_posix()}:{line}")
    assert places, "no translated message found"
    repeated = {message: sorted(where) for message, where in places.items() if len(where) > 1}
    new = {message: where for message, where in repeated.items() if message not in KNOWN_REPEATS}
    assert not new, "written more than once:\n" + "\n".join(
        f"{message.replace(chr(4), ' | ')!r}: {', '.join(where)}" for message, where in sorted(new.items())
    )
    fixed = sorted(KNOWN_REPEATS - set(repeated))
    assert not fixed, f"now written once, take them off KNOWN_REPEATS: {fixed}"
