-- A recorded two-role on-call plan for the window: week 1 p3 and p4, week 2
-- p5 and p6, week 3 p1 and p2 (Monday 09:00 Berlin to Monday 09:00).
INSERT INTO plans (id, kind, team, created_at, start, "end") VALUES (900, 'oncall', 'six', 0, 1803888000, 1805702400);
INSERT INTO plan_assignments VALUES (900, 'p3', 'primary', 1803888000, 1804492800);
INSERT INTO plan_assignments VALUES (900, 'p4', 'secondary', 1803888000, 1804492800);
INSERT INTO plan_assignments VALUES (900, 'p5', 'primary', 1804492800, 1805097600);
INSERT INTO plan_assignments VALUES (900, 'p6', 'secondary', 1804492800, 1805097600);
INSERT INTO plan_assignments VALUES (900, 'p1', 'primary', 1805097600, 1805702400);
INSERT INTO plan_assignments VALUES (900, 'p2', 'secondary', 1805097600, 1805702400);
