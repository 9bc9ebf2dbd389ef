-- ==== actions.endpoint ====
SELECT
    domain,
    action,
    anySimpleState(last_payload) AS last_payload,
    maxSimpleState(last_seen) AS last_seen,
    countMerge(total_occurrences) AS total_occurrences
FROM tenant_actions_mv
WHERE tenant_id = ''

    AND action like '\%cli_\%'

GROUP BY domain, action
ORDER BY last_seen DESC, domain ASC, action ASC

-- ==== analytics_hits.parsed_hits ====
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0

-- ==== analytics_hits.endpoint ====
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits

-- ==== analytics_pages.analytics_pages_1 ====
SELECT
    toDate(timestamp) AS date,
    tenant_id,
    domain,
    device,
    browser,
    location,
    pathname,
    uniqState(session_id) AS visits,
    countState() AS hits
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
GROUP BY date, tenant_id, domain, device, browser, location, pathname

-- ==== analytics_sessions.analytics_sessions_1 ====
SELECT
    toDate(timestamp) AS date,
    session_id,
    tenant_id,
    domain,
    anySimpleState(device) AS device,
    anySimpleState(browser) AS browser,
    anySimpleState(location) AS location,
    minSimpleState(timestamp) AS first_hit,
    maxSimpleState(timestamp) AS latest_hit,
    countState() AS hits
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
GROUP BY date, session_id, tenant_id, domain

-- ==== analytics_sources.analytics_sources_1 ====
SELECT
    toDate(timestamp) AS date,
    tenant_id,
    domain,
    device,
    browser,
    location,
    referrer,
    uniqState(session_id) AS visits,
    countState() AS hits
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
WHERE domainWithoutWWW(referrer) != current_domain
GROUP BY date, tenant_id, domain, device, browser, location, referrer

-- ==== current_visitors.get_current_visitors ====
SELECT uniq(session_id) AS visits
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
WHERE timestamp >= (now() - interval 5 minute)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'

-- ==== domain.get_current_domain ====
WITH (
SELECT nullif(domainWithoutWWW(href),'') as domain
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
WHERE timestamp >= now() - interval 1 hour
GROUP BY domain
ORDER BY count(1) DESC
LIMIT 1
) AS top_domain,
(
SELECT domainWithoutWWW(href)
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
WHERE href NOT LIKE '%localhost%'
LIMIT 1
) AS some_domain
SELECT coalesce(top_domain, some_domain) AS domain

-- ==== domains.endpoint ====
SELECT
    domain,
    minSimpleState(first_seen) AS first_seen,
    maxSimpleState(last_seen) AS last_seen,
    countMerge(total_hits) AS total_hits
FROM tenant_domains_mv
WHERE tenant_id = ''
GROUP BY domain
ORDER BY total_hits DESC, domain ASC

-- ==== kpis.date_calculations ====
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end

-- ==== kpis.timeseries ====
with
    (SELECT current_start FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as start,
    (SELECT current_end FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as end,
    (SELECT period_days FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as days_count

    select
        arrayJoin(
            arrayMap(
                x -> toDate(x),
                range(toUInt32(start), toUInt32(timestampAdd(end, interval 1 day)), 24 * 3600)
            )
        ) as date

where date <= now()

-- ==== kpis.hits ====
select
        date,
        session_id,
        uniq(session_id) as visits,
        countMerge(hits) as pageviews,
        case when min(first_hit) = max(latest_hit) then 1 else 0 end as is_bounce,
        max(latest_hit) as latest_hit_aux,
        min(first_hit) as first_hit_aux
    from analytics_sessions_mv
    where
        date >= (SELECT current_start FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        and date <= (SELECT current_end FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        
        AND tenant_id = 'placeholder'
        
        
        AND domain = 'placeholder'
        
    group by date, session_id, tenant_id, domain

-- ==== kpis.current_period_data ====
select
    date,
    uniq(session_id) as current_visits,
    sum(pageviews) as current_pageviews,
    sum(case when latest_hit_aux = first_hit_aux then 1 end) / uniq(session_id) as current_bounce_rate,
    avg(latest_hit_aux - first_hit_aux) as current_avg_session_sec
from (
select
        date,
        session_id,
        uniq(session_id) as visits,
        countMerge(hits) as pageviews,
        case when min(first_hit) = max(latest_hit) then 1 else 0 end as is_bounce,
        max(latest_hit) as latest_hit_aux,
        min(first_hit) as first_hit_aux
    from analytics_sessions_mv
    where
        date >= (SELECT current_start FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        and date <= (SELECT current_end FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        
        AND tenant_id = 'placeholder'
        
        
        AND domain = 'placeholder'
        
    group by date, session_id, tenant_id, domain
) AS hits
group by date

-- ==== kpis.previous_period_hits ====
SELECT toDate('1900-01-01') as date, '' as session_id, 0 as visits, 0 as pageviews, 0 as is_bounce,
           toDateTime('1900-01-01') as latest_hit_aux, toDateTime('1900-01-01') as first_hit_aux WHERE 1=0

-- ==== kpis.previous_period_data ====
SELECT toDate('1900-01-01') as date, 0 as previous_visits, 0 as previous_pageviews,
       0 as previous_bounce_rate, 0 as previous_avg_session_sec WHERE 1=0

-- ==== kpis.endpoint ====
SELECT
    a.date date,
    coalesce(b.current_visits, 0) as visits,
    coalesce(b.current_pageviews, 0) as pageviews,
    coalesce(b.current_bounce_rate, 0) as bounce_rate,
    coalesce(b.current_avg_session_sec, 0) as avg_session_sec
FROM (
with
    (SELECT current_start FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as start,
    (SELECT current_end FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as end,
    (SELECT period_days FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations) as days_count

    select
        arrayJoin(
            arrayMap(
                x -> toDate(x),
                range(toUInt32(start), toUInt32(timestampAdd(end, interval 1 day)), 24 * 3600)
            )
        ) as date

where date <= now()
) a
LEFT JOIN (
select
    date,
    uniq(session_id) as current_visits,
    sum(pageviews) as current_pageviews,
    sum(case when latest_hit_aux = first_hit_aux then 1 end) / uniq(session_id) as current_bounce_rate,
    avg(latest_hit_aux - first_hit_aux) as current_avg_session_sec
from (
select
        date,
        session_id,
        uniq(session_id) as visits,
        countMerge(hits) as pageviews,
        case when min(first_hit) = max(latest_hit) then 1 else 0 end as is_bounce,
        max(latest_hit) as latest_hit_aux,
        min(first_hit) as first_hit_aux
    from analytics_sessions_mv
    where
        date >= (SELECT current_start FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        and date <= (SELECT current_end FROM (
WITH
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_start,
    
    
        toStartOfDay(
            toDate('placeholder')
        ) as current_end
    
SELECT
    current_start,
    current_end,
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_start,
    timestampAdd(current_end, interval -dateDiff('day', current_start, current_end) - 1 day) as previous_end
) AS date_calculations)
        
        AND tenant_id = 'placeholder'
        
        
        AND domain = 'placeholder'
        
    group by date, session_id, tenant_id, domain
) AS hits
group by date
) b USING date

-- ==== random_data_generator.generate_random_events ====
SELECT
    now() - interval rand() % (7 * 86400) second as timestamp,
    concat('session_', toString(rand() % 10000)) as session_id,
    arrayElement(['page_hit', 'web_vital', 'click', 'scroll'], (rand() % 4) + 1) as action,
    arrayElement(['1.0', '1.1', '2.0'], (rand() % 3) + 1) as version,
    concat('{"href":"https://example.com/', arrayElement(['home', 'about', 'contact', 'products', 'blog'], (rand() % 5) + 1), '","domain":"example.com","pathname":"/', arrayElement(['home', 'about', 'contact', 'products', 'blog'], (rand() % 5) + 1), '","user-agent":"Mozilla/5.0 (compatible; test)"}') as payload,
    concat('tenant_', toString((rand() % 5) + 1)) as tenant_id,
    arrayElement(['example.com', 'test.com', 'demo.org'], (rand() % 3) + 1) as domain
FROM numbers(1000)

-- ==== tenant_actions.tenant_actions_node ====
with multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'href') as href
SELECT
    tenant_id,
    domain,
    action,
    anySimpleState(payload) AS last_payload,
    maxSimpleState(timestamp) AS last_seen,
    countState() AS total_occurrences
FROM analytics_events
GROUP BY tenant_id, domain, action

-- ==== tenant_domains.tenant_domains_node ====
SELECT
    tenant_id,
    domain,
    minSimpleState(timestamp) AS first_seen,
    maxSimpleState(timestamp) AS last_seen,
    countState() AS total_hits
FROM (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
GROUP BY tenant_id, domain

-- ==== top_browsers.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== top_browsers.current_period_data ====
SELECT
    browser,
    uniq(session_id) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sessions_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY browser

-- ==== top_browsers.previous_period_data ====
SELECT '' as browser, 0 as previous_visits, 0 as previous_hits WHERE 1=0

-- ==== top_browsers.endpoint ====
SELECT
    browser,
    current_visits as visits,
    current_hits as hits
FROM (
SELECT
    browser,
    uniq(session_id) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sessions_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY browser
) AS current_period_data
ORDER BY current_visits DESC
LIMIT 0, 50

-- ==== top_devices.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== top_devices.current_period_data ====
SELECT
    device,
    uniq(session_id) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sessions_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY device

-- ==== top_devices.previous_period_data ====
SELECT '' as device, 0 as previous_visits, 0 as previous_hits WHERE 1=0

-- ==== top_devices.endpoint ====
SELECT
    device,
    current_visits as visits,
    current_hits as hits
FROM (
SELECT
    device,
    uniq(session_id) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sessions_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY device
) AS current_period_data
ORDER BY current_visits DESC
LIMIT 0, 50

-- ==== top_locations.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== top_locations.current_period_data ====
SELECT
    location,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_pages_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY location

-- ==== top_locations.previous_period_data ====
SELECT '' as location, 0 as previous_visits, 0 as previous_hits WHERE 1=0

-- ==== top_locations.endpoint ====
SELECT
    location,
    current_visits as visits,
    current_hits as hits
FROM (
SELECT
    location,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_pages_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY location
) AS current_period_data
ORDER BY current_visits DESC
LIMIT 0, 50

-- ==== top_pages.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== top_pages.current_period_data ====
SELECT
    pathname,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_pages_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY pathname

-- ==== top_pages.previous_period_data ====
SELECT '' as pathname, 0 as previous_visits, 0 as previous_hits WHERE 1=0

-- ==== top_pages.endpoint ====
SELECT
    pathname,
    current_visits as visits,
    current_hits as hits
FROM (
SELECT
    pathname,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_pages_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY pathname
) AS current_period_data
ORDER BY current_visits DESC
LIMIT 0, 50

-- ==== top_sources.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== top_sources.current_period_data ====
SELECT
    domainWithoutWWW(referrer) as referrer,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sources_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY referrer

-- ==== top_sources.previous_period_data ====
SELECT '' as referrer, 0 as previous_visits, 0 as previous_hits WHERE 1=0

-- ==== top_sources.endpoint ====
SELECT
    referrer,
    current_visits as visits,
    current_hits as hits
FROM (
SELECT
    domainWithoutWWW(referrer) as referrer,
    uniqMerge(visits) as current_visits,
    countMerge(hits) as current_hits
FROM analytics_sources_mv
WHERE date >= (SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    AND date <= (SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY referrer
) AS current_period_data
ORDER BY current_visits DESC
LIMIT 0, 50

-- ==== trend.timeseries ====
with (now() - interval 30 minute) as start
select addMinutes(toStartOfMinute(start), number) as t
from (select arrayJoin(range(1, 31)) as number)

-- ==== trend.hits ====
select toStartOfMinute(timestamp) as t, uniq(session_id) as visits
from (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
where timestamp >= (now() - interval 30 minute)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
group by toStartOfMinute(timestamp)
order by toStartOfMinute(timestamp)

-- ==== trend.endpoint ====
select a.t, b.visits from (
with (now() - interval 30 minute) as start
select addMinutes(toStartOfMinute(start), number) as t
from (select arrayJoin(range(1, 31)) as number)
) a left join (
select toStartOfMinute(timestamp) as t, uniq(session_id) as visits
from (
SELECT
    timestamp,
    action,
    version,
    session_id,
    tenant_id,
    domain,
    location,
    referrer,
    pathname,
    href,
    current_domain,
    case
        when match(user_agent, 'wget|ahrefsbot|curl|urllib|bitdiscovery|\+https://|googlebot')
        then 'bot'
        when match(user_agent, 'android')
        then 'mobile-android'
        when match(user_agent, 'ipad|iphone|ipod')
        then 'mobile-ios'
        else 'desktop'
    END as device,
    case
        when match(user_agent, 'firefox')
        then 'firefox'
        when match(user_agent, 'chrome|crios')
        then 'chrome'
        when match(user_agent, 'opera')
        then 'opera'
        when match(user_agent, 'msie|trident')
        then 'ie'
        when match(user_agent, 'iphone|ipad|safari')
        then 'safari'
        else 'Unknown'
    END as browser
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
WHERE action = 'page_hit'
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
        AND timestamp
        >=
        '2019-01-01'
    
    
        AND timestamp
        <=
        '2019-01-01'
    
    
        AND payload like '\%utm_\%'
    

    LIMIT 20
    OFFSET 0
) AS parsed_hits
) AS analytics_hits
where timestamp >= (now() - interval 30 minute)
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
group by toStartOfMinute(timestamp)
order by toStartOfMinute(timestamp)
) b on a.t = b.t order by a.t

-- ==== web_vitals_current.daily_vitals ====
SELECT
    metric_name,
    avg(value) as avg_value,
    quantile(0.75)(value) as p75,
    quantile(0.90)(value) as p90,
    quantile(0.95)(value) as p95,
    quantile(0.99)(value) as p99,
    avg(delta) as avg_delta,
    count() as measurements,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY metric_name, domain, tenant_id
HAVING measurements >= 1

-- ==== web_vitals_current.endpoint ====
SELECT
    metric_name,
    round(avg_value, 2) as avg_value,
    round(p75, 2) as p75,
    round(p90, 2) as p90,
    round(p90, 2) as p90,
    round(p95, 2) as p95,
    round(p99, 2) as p99,
    measurements,
    -- Calculate score based on thresholds (using same logic as web_vitals_events)
    CASE
        WHEN metric_name = 'LCP' AND avg_value <= 2500 THEN 100
        WHEN metric_name = 'LCP' AND avg_value <= 4000 THEN 75
        WHEN metric_name = 'TTFB' AND avg_value <= 500 THEN 100
        WHEN metric_name = 'TTFB' AND avg_value <= 1000 THEN 75
        WHEN metric_name = 'FCP' AND avg_value <= 1800 THEN 100
        WHEN metric_name = 'FCP' AND avg_value <= 3000 THEN 75
        WHEN metric_name = 'INP' AND avg_value <= 200 THEN 100
        WHEN metric_name = 'INP' AND avg_value <= 500 THEN 75
        WHEN metric_name = 'CLS' AND avg_value <= 0.1 THEN 100
        WHEN metric_name = 'CLS' AND avg_value <= 0.25 THEN 75
        ELSE 25
    END as score,
    -- Calculate status based on thresholds
    CASE
        WHEN metric_name = 'LCP' AND avg_value <= 2500 THEN 'Excellent'
        WHEN metric_name = 'LCP' AND avg_value <= 4000 THEN 'Good'
        WHEN metric_name = 'TTFB' AND avg_value <= 500 THEN 'Excellent'
        WHEN metric_name = 'TTFB' AND avg_value <= 1000 THEN 'Good'
        WHEN metric_name = 'FCP' AND avg_value <= 1800 THEN 'Excellent'
        WHEN metric_name = 'FCP' AND avg_value <= 3000 THEN 'Good'
        WHEN metric_name = 'INP' AND avg_value <= 200 THEN 'Excellent'
        WHEN metric_name = 'INP' AND avg_value <= 500 THEN 'Good'
        WHEN metric_name = 'CLS' AND avg_value <= 0.1 THEN 'Excellent'
        WHEN metric_name = 'CLS' AND avg_value <= 0.25 THEN 'Good'
        ELSE 'Poor'
    END as status,
    units,
    description,
    thresholds_text as thresholds,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    avg(value) as avg_value,
    quantile(0.75)(value) as p75,
    quantile(0.90)(value) as p90,
    quantile(0.95)(value) as p95,
    quantile(0.99)(value) as p99,
    avg(delta) as avg_delta,
    count() as measurements,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
GROUP BY metric_name, domain, tenant_id
HAVING measurements >= 1
) AS daily_vitals
ORDER BY metric_name

-- ==== web_vitals_distribution.date_calculations ====
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days

-- ==== web_vitals_distribution.current_filtered_vitals ====
SELECT
    metric_name,
    value,
    performance_category,
    score,
    units,
    description,
    thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE
    timestamp >= toDateTime(concat(toString((SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 00:00:00'))
    AND timestamp <= toDateTime(concat(toString((SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 23:59:59'))
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    AND performance_category != 'unknown'

-- ==== web_vitals_distribution.previous_filtered_vitals ====
SELECT '' as metric_name, 0 as value, '' as performance_category, 0 as score, '' as units,
       '' as description, '' as thresholds_text, '' as domain, '' as tenant_id WHERE 1=0

-- ==== web_vitals_distribution.current_category_stats ====
SELECT
    metric_name,
    performance_category,
    round(avg(value), 2) as current_avg_value,
    quantile(0.75)(value) as current_p75,
    quantile(0.90)(value) as current_p90,
    quantile(0.95)(value) as current_p95,
    quantile(0.99)(value) as current_p99,
    count() as current_measurement_count,
    any(score) as score,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    value,
    performance_category,
    score,
    units,
    description,
    thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE
    timestamp >= toDateTime(concat(toString((SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 00:00:00'))
    AND timestamp <= toDateTime(concat(toString((SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 23:59:59'))
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    AND performance_category != 'unknown'
) AS current_filtered_vitals
GROUP BY metric_name, performance_category, domain, tenant_id

-- ==== web_vitals_distribution.previous_category_stats ====
SELECT '' as metric_name, '' as performance_category, 0 as previous_avg_value, 0 as previous_p75,
       0 as previous_p90, 0 as previous_p95, 0 as previous_p99, 0 as previous_measurement_count,
       '' as domain, '' as tenant_id WHERE 1=0

-- ==== web_vitals_distribution.current_metric_totals ====
SELECT
    metric_name,
    sum(current_measurement_count) as current_total_measurements,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    performance_category,
    round(avg(value), 2) as current_avg_value,
    quantile(0.75)(value) as current_p75,
    quantile(0.90)(value) as current_p90,
    quantile(0.95)(value) as current_p95,
    quantile(0.99)(value) as current_p99,
    count() as current_measurement_count,
    any(score) as score,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    value,
    performance_category,
    score,
    units,
    description,
    thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE
    timestamp >= toDateTime(concat(toString((SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 00:00:00'))
    AND timestamp <= toDateTime(concat(toString((SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 23:59:59'))
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    AND performance_category != 'unknown'
) AS current_filtered_vitals
GROUP BY metric_name, performance_category, domain, tenant_id
) AS current_category_stats
GROUP BY metric_name, domain, tenant_id

-- ==== web_vitals_distribution.previous_metric_totals ====
SELECT '' as metric_name, 0 as previous_total_measurements, '' as domain, '' as tenant_id WHERE 1=0

-- ==== web_vitals_distribution.endpoint ====
SELECT
    cs.metric_name metric_name,
    cs.performance_category performance_category,
    cs.current_avg_value as avg_value,
    cs.current_p75 as p75,
    cs.current_p90 as p90,
    cs.current_p95 as p95,
    cs.current_p99 as p99,
    cs.current_measurement_count as measurement_count,
    round((cs.current_measurement_count * 100.0) / mt.current_total_measurements, 1) as percentage,
    mt.current_total_measurements as total_measurements,
    cs.score score,
    cs.units units,
    cs.thresholds thresholds,
    cs.description description,
    cs.domain domain
FROM (
SELECT
    metric_name,
    performance_category,
    round(avg(value), 2) as current_avg_value,
    quantile(0.75)(value) as current_p75,
    quantile(0.90)(value) as current_p90,
    quantile(0.95)(value) as current_p95,
    quantile(0.99)(value) as current_p99,
    count() as current_measurement_count,
    any(score) as score,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    value,
    performance_category,
    score,
    units,
    description,
    thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE
    timestamp >= toDateTime(concat(toString((SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 00:00:00'))
    AND timestamp <= toDateTime(concat(toString((SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 23:59:59'))
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    AND performance_category != 'unknown'
) AS current_filtered_vitals
GROUP BY metric_name, performance_category, domain, tenant_id
) cs
JOIN (
SELECT
    metric_name,
    sum(current_measurement_count) as current_total_measurements,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    performance_category,
    round(avg(value), 2) as current_avg_value,
    quantile(0.75)(value) as current_p75,
    quantile(0.90)(value) as current_p90,
    quantile(0.95)(value) as current_p95,
    quantile(0.99)(value) as current_p99,
    count() as current_measurement_count,
    any(score) as score,
    any(units) as units,
    any(description) as description,
    any(thresholds_text) as thresholds,
    domain,
    tenant_id
FROM (
SELECT
    metric_name,
    value,
    performance_category,
    score,
    units,
    description,
    thresholds_text,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE
    timestamp >= toDateTime(concat(toString((SELECT current_start FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 00:00:00'))
    AND timestamp <= toDateTime(concat(toString((SELECT current_end FROM (
WITH
    
        toDate('placeholder') as current_start,
        toDate('placeholder') as current_end,
    
    dateDiff('day', current_start, current_end) + 1 as period_days,
    timestampAdd(current_start, interval -period_days day) as previous_start,
    timestampAdd(current_end, interval -period_days day) as previous_end
SELECT
    current_start,
    current_end,
    previous_start,
    previous_end,
    period_days
) AS date_calculations)), ' 23:59:59'))
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    AND performance_category != 'unknown'
) AS current_filtered_vitals
GROUP BY metric_name, performance_category, domain, tenant_id
) AS current_category_stats
GROUP BY metric_name, domain, tenant_id
) mt ON cs.metric_name = mt.metric_name and cs.domain = mt.domain and cs.tenant_id = mt.tenant_id
ORDER BY
    cs.metric_name,
    CASE cs.performance_category
        WHEN 'excellent' THEN 1
        WHEN 'good' THEN 2
        WHEN 'poor' THEN 3
        ELSE 4
    END

-- ==== web_vitals_events.web_vitals_metadata ====
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)

-- ==== web_vitals_events.parsed_vitals ====
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'

-- ==== web_vitals_events.endpoint ====
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name

-- ==== web_vitals_routes.filtered_vitals ====
SELECT
    
        -- Default: route-based analysis
        route as path_key,
        pathname as full_pathname,
        route
    ,
    metric_name,
    value,
    score,
    domain
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
    AND route = 'placeholder'

-- ==== web_vitals_routes.route_metrics ====
SELECT
    path_key,
    
    metric_name,
    avg(value) as avg_value,
    avg(score) as avg_score,
    count() as measurements,
    domain
FROM (
SELECT
    
        -- Default: route-based analysis
        route as path_key,
        pathname as full_pathname,
        route
    ,
    metric_name,
    value,
    score,
    domain
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
    AND route = 'placeholder'
) AS filtered_vitals
WHERE path_key != ''
GROUP BY path_key, metric_name, domain
    
HAVING measurements >= 3

-- ==== web_vitals_routes.route_summary ====
SELECT
    path_key,
    
    round(avg(avg_score), 2) as overall_score,
    round(avgIf(avg_value, metric_name = 'LCP'), 2) as lcp_avg,
    round(avgIf(avg_value, metric_name = 'TTFB'), 2) as ttfb_avg,
    round(avgIf(avg_value, metric_name = 'FCP'), 2) as fcp_avg,
    round(avgIf(avg_value, metric_name = 'INP'), 2) as inp_avg,
    round(avgIf(avg_value, metric_name = 'CLS'), 4) as cls_avg,
    round(avgIf(avg_score, metric_name = 'LCP'), 0) as lcp_score,
    round(avgIf(avg_score, metric_name = 'TTFB'), 0) as ttfb_score,
    round(avgIf(avg_score, metric_name = 'FCP'), 0) as fcp_score,
    round(avgIf(avg_score, metric_name = 'INP'), 0) as inp_score,
    round(avgIf(avg_score, metric_name = 'CLS'), 0) as cls_score,
    count(DISTINCT metric_name) as metrics_count,
    domain
FROM (
SELECT
    path_key,
    
    metric_name,
    avg(value) as avg_value,
    avg(score) as avg_score,
    count() as measurements,
    domain
FROM (
SELECT
    
        -- Default: route-based analysis
        route as path_key,
        pathname as full_pathname,
        route
    ,
    metric_name,
    value,
    score,
    domain
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
    AND route = 'placeholder'
) AS filtered_vitals
WHERE path_key != ''
GROUP BY path_key, metric_name, domain
    
HAVING measurements >= 3
) AS route_metrics
GROUP BY path_key, domain

-- ==== web_vitals_routes.endpoint ====
SELECT
    path_key as route,
    
    overall_score,
    lcp_avg,
    ttfb_avg,
    fcp_avg,
    inp_avg,
    cls_avg,
    lcp_score,
    ttfb_score,
    fcp_score,
    inp_score,
    cls_score,
    'LCP=ms, TTFB=ms, FCP=ms, INP=ms, CLS=score' as metric_units,
    domain,
    
        'routes' as analysis_type
    
FROM (
SELECT
    path_key,
    
    round(avg(avg_score), 2) as overall_score,
    round(avgIf(avg_value, metric_name = 'LCP'), 2) as lcp_avg,
    round(avgIf(avg_value, metric_name = 'TTFB'), 2) as ttfb_avg,
    round(avgIf(avg_value, metric_name = 'FCP'), 2) as fcp_avg,
    round(avgIf(avg_value, metric_name = 'INP'), 2) as inp_avg,
    round(avgIf(avg_value, metric_name = 'CLS'), 4) as cls_avg,
    round(avgIf(avg_score, metric_name = 'LCP'), 0) as lcp_score,
    round(avgIf(avg_score, metric_name = 'TTFB'), 0) as ttfb_score,
    round(avgIf(avg_score, metric_name = 'FCP'), 0) as fcp_score,
    round(avgIf(avg_score, metric_name = 'INP'), 0) as inp_score,
    round(avgIf(avg_score, metric_name = 'CLS'), 0) as cls_score,
    count(DISTINCT metric_name) as metrics_count,
    domain
FROM (
SELECT
    path_key,
    
    metric_name,
    avg(value) as avg_value,
    avg(score) as avg_score,
    count() as measurements,
    domain
FROM (
SELECT
    
        -- Default: route-based analysis
        route as path_key,
        pathname as full_pathname,
        route
    ,
    metric_name,
    value,
    score,
    domain
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE timestamp >= now() - interval 1 day
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
    
    
    AND route = 'placeholder'
) AS filtered_vitals
WHERE path_key != ''
GROUP BY path_key, metric_name, domain
    
HAVING measurements >= 3
) AS route_metrics
GROUP BY path_key, domain
) AS route_summary
ORDER BY
    
        overall_score ASC,
        lcp_score ASC,
        fcp_score ASC,
        ttfb_score ASC,
        route ASC
    
LIMIT 0, 10

-- ==== web_vitals_timeseries.filtered_vitals ====
SELECT
    toStartOfHour(timestamp) as hour,
    metric_name,
    value,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE 1=1
    
    AND timestamp >= toDateTime(concat(toString('2019-01-01'), ' 00:00:00'))
    
    
    AND timestamp <= toDateTime(concat(toString('2019-01-01'), ' 23:59:59'))
    
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'

-- ==== web_vitals_timeseries.endpoint ====
SELECT
    hour,
    metric_name,
    quantile(0.75)(value) as p75,
    quantile(0.90)(value) as p90,
    quantile(0.95)(value) as p95,
    quantile(0.99)(value) as p99,
    count() as measurements,
    domain
FROM (
SELECT
    toStartOfHour(timestamp) as hour,
    metric_name,
    value,
    domain,
    tenant_id
FROM (
SELECT
    pv.timestamp,
    pv.action,
    pv.version,
    pv.session_id,
    pv.tenant_id,
    pv.domain,
    pv.metric_name,
    pv.value,
    pv.delta,
    pv.pathname,
    pv.href,
    -- Extract route (first part of pathname)
    if(
        pv.pathname = '/',
        '/',
        splitByChar('/', pv.pathname)[2]
    ) as route,
    -- Calculate performance category using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'excellent'
        WHEN pv.value <= md.good_threshold THEN 'good'
        ELSE 'poor'
    END as performance_category,
    -- Calculate performance score using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 100
        WHEN pv.value <= md.good_threshold THEN 75
        ELSE 25
    END as score,
    -- Include metadata fields
    md.units,
    md.description,
    md.thresholds_text,
    -- Calculate status using metadata
    CASE
        WHEN pv.value <= md.excellent_threshold THEN 'Excellent'
        WHEN pv.value <= md.good_threshold THEN 'Good'
        ELSE 'Poor'
    END as status
FROM (
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    tenant_id,
    multiIf(domain != '', domain, current_domain != '', current_domain, domain_from_payload) as domain,
    if(domainWithoutWWW(href) = '' and href is not null and href != '', URLHierarchy(href)[1], domainWithoutWWW(href)) as current_domain,
    JSONExtractString(payload, 'name') as metric_name,
    JSONExtractFloat(payload, 'value') as value,
    JSONExtractFloat(payload, 'delta') as delta,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'domain') as domain_from_payload,
    JSONExtractString(payload, 'href') as href
FROM analytics_events
WHERE action = 'web_vital'
    
        AND timestamp >= '2019-01-01'
    
    
        AND timestamp <= '2019-01-01'
    
    AND JSONExtractString(payload, 'name') IN ('LCP', 'TTFB', 'FCP', 'INP', 'CLS')
    AND JSONExtractString(payload, 'pathname') != ''
    -- Filter out unrealistic values that are clearly errors
    AND JSONExtractFloat(payload, 'value') > 0
    AND JSONExtractFloat(payload, 'value') < 60000  -- Max 60 seconds for any metric
    -- Additional metric-specific validation
    AND (
        (JSONExtractString(payload, 'name') = 'LCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'TTFB' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'FCP' AND JSONExtractFloat(payload, 'value') < 30000) OR
        (JSONExtractString(payload, 'name') = 'INP' AND JSONExtractFloat(payload, 'value') < 10000) OR
        (JSONExtractString(payload, 'name') = 'CLS' AND JSONExtractFloat(payload, 'value') < 1)
    )
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) pv
INNER JOIN (
SELECT
    metric_name,
    excellent_threshold,
    good_threshold,
    units,
    description,
    thresholds_text
FROM (
    SELECT 'LCP' as metric_name, 2500 as excellent_threshold, 4000 as good_threshold, 'ms' as units,
           'Largest Contentful Paint - measures loading performance of the largest content element' as description,
           'Excellent: ≤2500ms, Good: ≤4000ms, Poor: >4000ms' as thresholds_text
    UNION ALL
    SELECT 'TTFB' as metric_name, 500 as excellent_threshold, 1000 as good_threshold, 'ms' as units,
           'Time to First Byte - measures server response time and network latency' as description,
           'Excellent: ≤500ms, Good: ≤1000ms, Poor: >1000ms' as thresholds_text
    UNION ALL
    SELECT 'FCP' as metric_name, 1800 as excellent_threshold, 3000 as good_threshold, 'ms' as units,
           'First Contentful Paint - measures time until first content appears on screen' as description,
           'Excellent: ≤1800ms, Good: ≤3000ms, Poor: >3000ms' as thresholds_text
    UNION ALL
    SELECT 'INP' as metric_name, 200 as excellent_threshold, 500 as good_threshold, 'ms' as units,
           'Interaction to Next Paint - measures responsiveness to user interactions' as description,
           'Excellent: ≤200ms, Good: ≤500ms, Poor: >500ms' as thresholds_text
    UNION ALL
    SELECT 'CLS' as metric_name, 0.1 as excellent_threshold, 0.25 as good_threshold, 'score' as units,
           'Cumulative Layout Shift - measures visual stability and unexpected layout shifts' as description,
           'Excellent: ≤0.1, Good: ≤0.25, Poor: >0.25' as thresholds_text
)
) md ON pv.metric_name = md.metric_name
) AS web_vitals_events
WHERE 1=1
    
    AND timestamp >= toDateTime(concat(toString('2019-01-01'), ' 00:00:00'))
    
    
    AND timestamp <= toDateTime(concat(toString('2019-01-01'), ' 23:59:59'))
    
    
    AND tenant_id = 'placeholder'
    
    
    AND domain = 'placeholder'
) AS filtered_vitals
GROUP BY hour, metric_name, domain
HAVING measurements >= 5
ORDER BY hour ASC, metric_name ASC

