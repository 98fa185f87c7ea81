-- 008: staff accounts of the admin handler. Apache authenticates them
-- (r->user); this table says which department each acts for. A NULL
-- department is a city-level account that sees every department.
CREATE TABLE staff (
    username      VARCHAR(100) NOT NULL PRIMARY KEY,
    name          VARCHAR(100) NOT NULL,
    department_id INT UNSIGNED NULL COMMENT 'NULL: city level, all departments',
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_staff_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
