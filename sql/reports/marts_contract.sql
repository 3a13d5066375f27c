-- The marts as dashboards see them: every relation, column, type and nullability, in a stable order.
SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type
       || CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE '' END
       || CASE WHEN t.table_type = 'VIEW' THEN ' (view)' ELSE '' END AS line
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = 'marts'
ORDER BY c.table_name, c.ordinal_position
