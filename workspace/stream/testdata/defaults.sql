INSERT INTO events (event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue)
SELECT
    event_id,
    timestamp,
    session_id,
    user_id,
    event_type,
    multiIf(event_type = 'purchase', '/checkout', event_type = 'signup', '/signup', page) AS pathname,
    referrer,
    country,
    device,
    browser,
    if(event_type = 'pageview', toUInt32(least(-log(1 - rand(7) / 4294967296.) * 30000, 3600000)), toUInt32(0)) AS duration_ms,
    if(event_type = 'purchase', toFloat64(arrayElement([9, 19, 49, 99, 249, 999], arrayFirstIndex(x -> x > rand(8) % 100, [30, 60, 80, 92, 98, 100]))) - 0.01, toFloat64(0)) AS revenue
FROM
(
    SELECT
        1 + number AS event_id,
        toDateTime(toUInt32(now()) - rand(1) % 3 - if(rand(2) % 1000000 < 10000, 60 + rand(3) % 7140, 0)) AS timestamp,
        rand(4) % 300 AS slot,
        concat('s', toString(slot), '-', toString(intDiv(toUInt32(now()) + slot * 7919, 1200))) AS session_id,
        concat('u', toString(cityHash64(session_id) % 2000)) AS user_id,
        arrayElement(['pageview', 'click', 'signup', 'purchase'], arrayFirstIndex(x -> x > rand(5) % 1000, [780, 930, 960, 1000])) AS event_type,
        arrayElement(['/', '/pricing', '/docs', '/blog', '/docs/getting-started', '/features', '/blog/launch-week', '/docs/api', '/changelog', '/about', '/integrations', '/customers', '/blog/clickhouse-tips', '/docs/sdk/go', '/security', '/careers', '/contact', '/status', '/blog/real-time-dashboards', '/legal/privacy'], least(toUInt32(exp(log(21) * (rand(6) / 4294967296.))), 20)) AS page,
        arrayElement(['', 'google.com', 'github.com', 'news.ycombinator.com', 'x.com', 'linkedin.com', 'duckduckgo.com'], arrayFirstIndex(x -> x > rand(9) % 100, [40, 70, 80, 87, 93, 97, 100])) AS referrer,
        arrayElement(['US', 'GB', 'DE', 'ES', 'FR', 'IN', 'BR', 'CA', 'JP', 'NL', 'AU', 'MX'], arrayFirstIndex(x -> x > cityHash64(user_id, 'country') % 970, [310, 400, 480, 550, 610, 700, 760, 810, 850, 880, 910, 970])) AS country,
        arrayElement(['mobile', 'desktop', 'tablet'], arrayFirstIndex(x -> x > cityHash64(user_id, 'device') % 100, [55, 95, 100])) AS device,
        arrayElement(['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet'], arrayFirstIndex(x -> x > cityHash64(user_id, 'browser') % 100, [62, 82, 90, 97, 100])) AS browser
    FROM numbers(200)
)
