from yushu_gov import todo


def test_providers_are_asked_in_order_and_overdue_items_come_first(monkeypatch):
    monkeypatch.setattr(todo, "_PROVIDERS", [])
    todo.register_todo(name="b", order=20, provider=lambda request: [todo.TodoItem("乙", "/b/", 2)])
    todo.register_todo(name="a", order=10, provider=lambda request: [todo.TodoItem("甲", "/a/")])
    todo.register_todo(name="c", order=30, provider=lambda request: [todo.TodoItem("丙", "/c/", overdue=True)])
    todo.register_todo(name="a", order=5, provider=lambda request: [todo.TodoItem("重复", "/x/")])  # once per name
    assert [item.label for item in todo.todo_items(request=None)] == ["丙", "甲", "乙"]
