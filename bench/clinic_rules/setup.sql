-- Three kinds of tenant, 500 each, in one database so every run meets the
-- same server: "none" calendars with no rule set, "rules" calendars with
-- every rule a clinic can set (issue 23) and their organisation's contact
-- cap, and "calendar" calendars with the calendar's rules alone (no
-- organisation policy), each loose enough never to refuse a call of the
-- benchmark, so every side takes the success path and the differences are
-- what checking the rules costs, and which part.
SELECT booking.set_calendar(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'none',
                            'Europe/Berlin')
FROM generate_series(1, 500) g;

SELECT booking.set_calendar(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'rules',
                            'Europe/Berlin', min_notice => '1 hour',
                            working_hours => '{"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]],
                                               "wed": [["00:00","24:00"]], "thu": [["00:00","24:00"]],
                                               "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]],
                                               "sun": [["00:00","24:00"]]}',
                            max_per_day => 1000, max_per_week => 5000,
                            max_advance => '400 days', change_notice => '1 day')
FROM generate_series(501, 1000) g;

SELECT booking.set_calendar(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'calendar',
                            'Europe/Berlin', min_notice => '1 hour',
                            working_hours => '{"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]],
                                               "wed": [["00:00","24:00"]], "thu": [["00:00","24:00"]],
                                               "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]],
                                               "sun": [["00:00","24:00"]]}',
                            max_per_day => 1000, max_per_week => 5000,
                            max_advance => '400 days', change_notice => '1 day')
FROM generate_series(1001, 1500) g;

SELECT booking.set_org_policy(('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid,
                              max_active_per_contact => 1000, otp_sends_per_phone_hour => 5)
FROM generate_series(501, 1000) g;
