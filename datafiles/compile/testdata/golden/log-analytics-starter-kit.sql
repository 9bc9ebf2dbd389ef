-- ==== average_calls_per_ip_api.merge ====
SELECT minute, ip_address, countMerge(total) AS total
FROM calls_by_ip_per_minute
WHERE
    1
    
        AND minute
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY minute, ip_address

-- ==== average_calls_per_ip_api.endpoint ====
SELECT avg(total) as average FROM (
SELECT minute, ip_address, countMerge(total) AS total
FROM calls_by_ip_per_minute
WHERE
    1
    
        AND minute
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY minute, ip_address
) AS merge

-- ==== average_error_count_api.total_errors_per_function ====
SELECT function_name, countMerge(total) as total
FROM errors_per_function_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY function_name

-- ==== average_error_count_api.endpoint ====
SELECT avg(total) as average FROM (
SELECT function_name, countMerge(total) as total
FROM errors_per_function_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY function_name
) AS total_errors_per_function

-- ==== calls_by_ip_per_minute_materialize.mv ====
SELECT
    toStartOfMinute(event_ts) AS minute,
    ip_address,
    countState() AS total
FROM logs
GROUP BY
    ip_address,
    minute

-- ==== error_frequency_api.endpoint ====
SELECT function_name, hour, countMerge(total) as total
FROM errors_per_function_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
 GROUP BY hour, function_name
 ORDER BY hour ASC

-- ==== error_per_api.endpoint ====
SELECT
    toStartOfHour(event_ts) as hour,
    `osname`,
    count() as total,
    'osname' as per_filter
FROM logs
WHERE
    log_level == 'ERROR'
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY hour, `osname`
ORDER BY hour ASC

-- ==== errors_per_function_per_hour_materialize.mv ====
SELECT
    path(url) AS function_name,
    toStartOfHour(event_ts) AS hour,
    countState() AS total
FROM logs
WHERE log_level = 'ERROR'
GROUP BY
    hour,
    function_name
ORDER BY hour ASC

-- ==== function_errors_api.endpoint ====
SELECT function_name, countMerge(total) AS total
FROM errors_per_function_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY function_name
ORDER BY total DESC
LIMIT 10

-- ==== ips_exceeding_avg_calls_per_minute_api.merge ====
SELECT ip_address, countMerge(total) as total
FROM calls_by_ip_per_minute
WHERE minute == toStartOfMinute(now())
    
        AND minute
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY ip_address

-- ==== ips_exceeding_avg_calls_per_minute_api.endpoint ====
WITH (SELECT average FROM (
SELECT avg(total) as average FROM (
SELECT minute, ip_address, countMerge(total) AS total
FROM calls_by_ip_per_minute
WHERE
    1
    
        AND minute
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY minute, ip_address
) AS merge
) AS average_calls_per_ip_api) as average
SELECT ip_address, total from (
SELECT ip_address, countMerge(total) as total
FROM calls_by_ip_per_minute
WHERE minute == toStartOfMinute(now())
    
        AND minute
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY ip_address
) AS merge
WHERE total > average
LIMIT 10

-- ==== ips_with_most_calls_api.endpoint ====
SELECT toStartOfHour(minute) as hour, ip_address, countMerge(total) AS total
FROM calls_by_ip_per_minute
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY hour, ip_address
ORDER BY total DESC
LIMIT 10

-- ==== log_level_counts_per_hour_materialize.mv ====
SELECT
    toStartOfHour(event_ts) AS hour,
    log_level,
    countState() AS total
FROM logs
GROUP BY
    hour,
    log_level
ORDER BY hour ASC

-- ==== log_level_frequency_api.endpoint ====
SELECT hour, log_level, countMerge(total) as total
FROM log_level_counts_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY hour, log_level
ORDER BY hour ASC

-- ==== per_function_calls_per_hour_materialize.mv ====
SELECT
    path(url) AS function_name,
    toStartOfHour(event_ts) AS hour,
    countState() AS total
FROM logs
GROUP BY
    hour,
    function_name
ORDER BY hour ASC

-- ==== top_functions_api.endpoint ====
SELECT function_name, countMerge(total) as total
FROM per_function_calls_per_hour
WHERE
    1
    
        AND hour
        BETWEEN '2020-09-09'
        and '2020-09-10'
    
GROUP BY function_name
LIMIT 10

