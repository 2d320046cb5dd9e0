from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# 2030-03-04 is a Monday; the fixture's position runs two full working weeks.
MONDAY = date(2030, 3, 4)
FRIDAY_NEXT = date(2030, 3, 15)


class StaffingCase(TransactionCase):
    """Consultants, skills, roles, users and one request shared by the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.staffing_overload_tolerance = 0.0
        cls._setup_users()
        cls._setup_calendars()
        cls._setup_skills()
        cls._setup_roles()
        cls._setup_consultants()
        cls._setup_request()

    @classmethod
    def _setup_users(cls):
        groups = "resource_sharing.group_{}"
        cls.user = new_test_user(
            cls.env, "rs_user", groups=groups.format("user"), name="Sales Sam"
        )
        cls.planner = new_test_user(
            cls.env, "rs_planner", groups=groups.format("planner"), name="Planner Pia"
        )
        cls.planner2 = new_test_user(
            cls.env, "rs_planner2", groups=groups.format("planner"), name="Planner Piet"
        )
        cls.approver = new_test_user(
            cls.env,
            "rs_approver",
            groups=f"{groups.format('approver')},{groups.format('planner')}",
            name="Approver Ann",
        )
        cls.approver2 = new_test_user(
            cls.env,
            "rs_approver2",
            groups=groups.format("approver"),
            name="Approver Bo",
        )
        cls.employee_user = new_test_user(
            cls.env, "rs_employee", groups="base.group_user", name="Consultant Cas"
        )
        cls.project_manager = new_test_user(
            cls.env,
            "rs_pm",
            groups=f"{groups.format('user')},project.group_project_user",
            name="Project Manager Mo",
        )

    @classmethod
    def _setup_calendars(cls):
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Full time 40h",
                "tz": "Europe/Brussels",
                "attendance_ids": cls._attendances(range(5)),
            }
        )
        cls.calendar_part_time = cls.env["resource.calendar"].create(
            {
                "name": "Part time 32h",
                "tz": "Europe/Brussels",
                "attendance_ids": cls._attendances(range(4)),
            }
        )

    @staticmethod
    def _attendances(days):
        commands = []
        for day in days:
            for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon")):
                commands.append(
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                )
        return commands

    @classmethod
    def _setup_skills(cls):
        cls.skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Staffing Test Skills",
                "skill_level_ids": [
                    Command.create({"name": "Beginner", "level_progress": 25}),
                    Command.create({"name": "Intermediate", "level_progress": 50}),
                    Command.create({"name": "Expert", "level_progress": 100}),
                ],
                "skill_ids": [
                    Command.create({"name": "SAP"}),
                    Command.create({"name": "Python"}),
                    Command.create({"name": "Data Science"}),
                ],
            }
        )
        levels = cls.skill_type.skill_level_ids
        cls.level_beginner = levels.filtered(lambda lvl: lvl.level_progress == 25)
        cls.level_mid = levels.filtered(lambda lvl: lvl.level_progress == 50)
        cls.level_expert = levels.filtered(lambda lvl: lvl.level_progress == 100)
        skills = cls.skill_type.skill_ids
        cls.skill_sap = skills.filtered(lambda s: s.name == "SAP")
        cls.skill_python = skills.filtered(lambda s: s.name == "Python")
        cls.skill_data = skills.filtered(lambda s: s.name == "Data Science")

    @classmethod
    def _setup_roles(cls):
        cls.role_architect = cls.env["staffing.role"].create(
            {
                "name": "Test Solution Architect",
                "bill_rate": 150.0,
                "skill_requirement_ids": [
                    Command.create(
                        {
                            "skill_id": cls.skill_sap.id,
                            "level_id": cls.level_mid.id,
                            "mandatory": True,
                        }
                    ),
                    Command.create(
                        {
                            "skill_id": cls.skill_python.id,
                            "level_id": cls.level_expert.id,
                            "mandatory": False,
                        }
                    ),
                ],
            }
        )
        cls.role_scientist = cls.env["staffing.role"].create(
            {
                "name": "Test Data Scientist",
                "bill_rate": 120.0,
                "skill_requirement_ids": [
                    Command.create(
                        {
                            "skill_id": cls.skill_data.id,
                            "level_id": cls.level_expert.id,
                            "mandatory": True,
                        }
                    ),
                ],
            }
        )

    @classmethod
    def _setup_consultants(cls):
        cls.partner_company = cls.env["res.partner"].create(
            {
                "name": "Partner Consultancy Kraków",
                "is_company": True,
                "is_staffing_partner": True,
                "staffing_purchase_rate": 70.0,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Customer Brabant", "is_company": True}
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Brabant ERP",
                "partner_id": cls.customer.id,
                "user_id": cls.project_manager.id,
            }
        )
        cls.alice = cls._employee(
            "Alice Expert",
            {cls.skill_sap: cls.level_expert, cls.skill_python: cls.level_expert},
            hourly_cost=60.0,
        )
        cls.bob = cls._employee(
            "Bob Medior", {cls.skill_sap: cls.level_mid}, hourly_cost=50.0
        )
        cls.carol = cls._employee(
            "Carol Junior", {cls.skill_sap: cls.level_beginner}, hourly_cost=40.0
        )
        cls.xavier = cls._employee(
            "Xavier External",
            {cls.skill_sap: cls.level_expert, cls.skill_python: cls.level_expert},
            staffing_partner_id=cls.partner_company.id,
        )
        cls.alice.user_id = cls.employee_user

    @classmethod
    def _employee(cls, name, skills, **values):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Brussels",
                "company_id": cls.company.id,
                "employee_skill_ids": [
                    Command.create(
                        {
                            "skill_id": skill.id,
                            "skill_level_id": level.id,
                            "skill_type_id": skill.skill_type_id.id,
                        }
                    )
                    for skill, level in skills.items()
                ],
                **values,
            }
        )

    @classmethod
    def _setup_request(cls):
        cls.request = cls.env["staffing.request"].create(
            {
                "partner_id": cls.customer.id,
                "project_id": cls.project.id,
                "engagement_manager_id": cls.user.id,
                "date_start": MONDAY,
                "date_end": FRIDAY_NEXT,
                "line_ids": [
                    Command.create(
                        {
                            "role_id": cls.role_architect.id,
                            "planned_hours": 40.0,
                            "sold_rate": 140.0,
                        }
                    ),
                ],
            }
        )
        cls.line = cls.request.line_ids

    @contextmanager
    def assertRaisesRegex(self, expected_exception, expected_regex, msg=None):
        """Like Odoo's assertRaises: roll back what the failed call wrote."""
        with super().assertRaisesRegex(
            expected_exception, expected_regex, msg=msg
        ) as cm:
            with self.env.cr.savepoint():
                yield cm
        self.env.invalidate_all()

    def start_request(self, request=None):
        request = request or self.request
        request.action_submit()
        request.with_user(self.planner).action_start()
        return request

    def allocate(self, employee, hours, line=None, **values):
        return self.env["staffing.allocation"].create(
            {
                "employee_id": employee.id,
                "request_line_id": (line or self.line).id,
                "allocated_hours": hours,
                **values,
            }
        )
