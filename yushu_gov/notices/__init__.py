"""The notification outbox: notices written in the transaction of the event that causes them (`outbox.py`),
delivered by the database task worker with retries, back-off, quiet hours and a daily cap (`delivery.py`),
through one small adapter per channel (`channels/`: development, Alibaba Cloud and Tencent Cloud SMS, WeCom
group robots, e-mail), the in-app bell (`inbox.py`) and the reminders and digests apps register
(`periodic.py`). Imports the audit log, access and security wings and the home wing's to-do registry; knows no
app (apps call it from their services)."""
