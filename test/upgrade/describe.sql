-- Everything the extension defines, one line per object or property, in a
-- fixed order: what a fresh install and an updated one must agree on (the
-- upgrade suite compares them). Read with \i by test/upgrade/sql/*.sql;
-- sets the psql variable description.
WITH rel AS (SELECT oid, relname, relkind FROM pg_class WHERE relnamespace = 'booking'::regnamespace),
     ext AS (SELECT oid FROM pg_extension WHERE extname = 'booking'),
     acl(obj, acl) AS (
        SELECT oid, coalesce(array_to_string(array(SELECT x::text FROM unnest(proacl) x ORDER BY 1), ','), '-')
        FROM pg_proc WHERE pronamespace = 'booking'::regnamespace
        UNION ALL
        SELECT oid, coalesce(array_to_string(array(SELECT x::text FROM unnest(relacl) x ORDER BY 1), ','), '-')
        FROM pg_class WHERE relnamespace = 'booking'::regnamespace)
SELECT string_agg(regexp_replace(line, E'\\s*\n\\s*', ' ', 'g'), E'\n' ORDER BY line) AS description FROM (
    SELECT format('function %s: %s acl=%s comment=%s', p.oid::regprocedure, pg_get_functiondef(p.oid),
                  acl.acl, coalesce(obj_description(p.oid, 'pg_proc'), '-'))
    FROM pg_proc p JOIN acl ON acl.obj = p.oid WHERE p.pronamespace = 'booking'::regnamespace
    UNION ALL
    SELECT format('relation %s kind=%s rls=%s force=%s options=%s acl=%s comment=%s', c.relname, c.relkind,
                  c.relrowsecurity, c.relforcerowsecurity, coalesce(array_to_string(c.reloptions, ','), '-'),
                  acl.acl, coalesce(obj_description(c.oid, 'pg_class'), '-'))
    FROM pg_class c JOIN acl ON acl.obj = c.oid WHERE c.relnamespace = 'booking'::regnamespace
    UNION ALL
    SELECT format('column %s.%s %s notnull=%s default=%s generated=%s acl=%s comment=%s', r.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), '-'),
                  a.attgenerated, coalesce(a.attacl::text, '-'), coalesce(col_description(r.oid, a.attnum), '-'))
    FROM pg_attribute a JOIN rel r ON r.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('r', 'v')
    UNION ALL
    SELECT format('index %s: %s', r.relname, pg_get_indexdef(r.oid)) FROM rel r WHERE r.relkind = 'i'
    UNION ALL
    SELECT format('constraint %s.%s: %s comment=%s', conrelid::regclass, conname, pg_get_constraintdef(oid),
                  coalesce(obj_description(oid, 'pg_constraint'), '-'))
    FROM pg_constraint WHERE connamespace = 'booking'::regnamespace
    UNION ALL
    SELECT format('trigger %s.%s: %s enabled=%s comment=%s', tgrelid::regclass, tgname, pg_get_triggerdef(oid),
                  tgenabled, coalesce(obj_description(oid, 'pg_trigger'), '-'))
    FROM pg_trigger WHERE tgrelid IN (SELECT oid FROM rel) AND NOT tgisinternal
    UNION ALL
    SELECT format('policy %s.%s %s permissive=%s roles=%s using=%s check=%s comment=%s', polrelid::regclass,
                  polname, polcmd, polpermissive, polroles::regrole[], coalesce(pg_get_expr(polqual, polrelid), '-'),
                  coalesce(pg_get_expr(polwithcheck, polrelid), '-'), coalesce(obj_description(oid, 'pg_policy'), '-'))
    FROM pg_policy WHERE polrelid IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('view %s: %s', r.relname, pg_get_viewdef(r.oid)) FROM rel r WHERE r.relkind = 'v'
    UNION ALL
    SELECT format('sequence %s %s start=%s increment=%s min=%s max=%s cache=%s cycle=%s', seqrelid::regclass,
                  format_type(seqtypid, NULL), seqstart, seqincrement, seqmin, seqmax, seqcache, seqcycle)
    FROM pg_sequence WHERE seqrelid IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('type %s %s labels=%s comment=%s', t.typname, t.typtype,
                  coalesce((SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), '-'),
                  coalesce(obj_description(t.oid, 'pg_type'), '-'))
    FROM pg_type t WHERE t.typnamespace = 'booking'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
    UNION ALL
    SELECT format('member %s', pg_describe_object(d.classid, d.objid, d.objsubid))
    FROM pg_depend d, ext WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
    UNION ALL
    SELECT format('extension config=%s conditions=%s',
                  array_to_string(array(SELECT c::regclass::text FROM unnest(extconfig) c ORDER BY 1), ','),
                  coalesce(array_to_string(extcondition, ','), '-'))
    FROM pg_extension WHERE extname = 'booking'
    UNION ALL
    SELECT format('schema acl=%s', array_to_string(array(SELECT x::text FROM unnest(nspacl) x ORDER BY 1), ','))
    FROM pg_namespace WHERE nspname = 'booking'
    UNION ALL
    SELECT format('initial privileges %s %s %s', pg_describe_object(i.classoid, i.objoid, i.objsubid), i.privtype,
                  array_to_string(array(SELECT x::text FROM unnest(i.initprivs) x ORDER BY 1), ','))
    FROM pg_init_privs i JOIN pg_depend d ON d.classid = i.classoid AND d.objid = i.objoid, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
    UNION ALL
    SELECT format('access profile %s %s %s %s', profile, ordinal, kind, object) FROM booking.access_profiles
) lines(line) \gset
