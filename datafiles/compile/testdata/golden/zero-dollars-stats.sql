-- ==== analytics_hits.parsed_hits ====
SELECT
    timestamp,
    action,
    version,
    coalesce(session_id, '0') as session_id,
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'

-- ==== analytics_hits.endpoint ====
SELECT
    timestamp,
    action,
    version,
    session_id,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits

-- ==== analytics_pages.analytics_pages_1 ====
SELECT
    toDate(timestamp) AS date,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
GROUP BY date, device, browser, location, pathname

-- ==== analytics_sessions.analytics_sessions_1 ====
SELECT
    toDate(timestamp) AS date,
    session_id,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
GROUP BY date, session_id

-- ==== analytics_sources.analytics_sources_1 ====
SELECT
    toDate(timestamp) AS date,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
WHERE domainWithoutWWW(referrer) != current_domain
GROUP BY date, device, browser, location, referrer

-- ==== kpis.timeseries ====
with
    
        toStartOfDay(
            toDate(
                '2019-01-01'
            )
        ) as start,
    
    
        toStartOfDay(
            toDate(
                '2019-01-01'
            )
        ) as end
    

    select
        arrayJoin(
            arrayMap(
                x -> toDateTime(x),
                range(
                    toUInt32(toDateTime(start)), toUInt32(timestampAdd(end, interval 1 day)), 3600
                )
            )
        ) as date

where date <= now()

-- ==== kpis.hits ====
select
        toStartOfHour(timestamp) as date,
        session_id,
        uniq(session_id) as visits,
        count() as pageviews,
        case when min(timestamp) = max(timestamp) then 1 else 0 end as is_bounce,
        max(timestamp) as latest_hit_aux,
        min(timestamp) as first_hit_aux
    from (
SELECT
    timestamp,
    action,
    version,
    session_id,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
    where toDate(timestamp) = '2019-01-01'
    group by toStartOfHour(timestamp), session_id

-- ==== kpis.data ====
select
    date,
    uniq(session_id) as visits,
    sum(pageviews) as pageviews,
    sum(case when latest_hit_aux = first_hit_aux then 1 end) / visits as bounce_rate,
    avg(latest_hit_aux - first_hit_aux) as avg_session_sec
from (
select
        toStartOfHour(timestamp) as date,
        session_id,
        uniq(session_id) as visits,
        count() as pageviews,
        case when min(timestamp) = max(timestamp) then 1 else 0 end as is_bounce,
        max(timestamp) as latest_hit_aux,
        min(timestamp) as first_hit_aux
    from (
SELECT
    timestamp,
    action,
    version,
    session_id,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
    where toDate(timestamp) = '2019-01-01'
    group by toStartOfHour(timestamp), session_id
) AS hits
group by date

-- ==== kpis.endpoint ====
select a.date, b.visits, b.pageviews, b.bounce_rate, b.avg_session_sec
from (
with
    
        toStartOfDay(
            toDate(
                '2019-01-01'
            )
        ) as start,
    
    
        toStartOfDay(
            toDate(
                '2019-01-01'
            )
        ) as end
    

    select
        arrayJoin(
            arrayMap(
                x -> toDateTime(x),
                range(
                    toUInt32(toDateTime(start)), toUInt32(timestampAdd(end, interval 1 day)), 3600
                )
            )
        ) as date

where date <= now()
) a
left join (
select
    date,
    uniq(session_id) as visits,
    sum(pageviews) as pageviews,
    sum(case when latest_hit_aux = first_hit_aux then 1 end) / visits as bounce_rate,
    avg(latest_hit_aux - first_hit_aux) as avg_session_sec
from (
select
        toStartOfHour(timestamp) as date,
        session_id,
        uniq(session_id) as visits,
        count() as pageviews,
        case when min(timestamp) = max(timestamp) then 1 else 0 end as is_bounce,
        max(timestamp) as latest_hit_aux,
        min(timestamp) as first_hit_aux
    from (
SELECT
    timestamp,
    action,
    version,
    session_id,
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
    where toDate(timestamp) = '2019-01-01'
    group by toStartOfHour(timestamp), session_id
) AS hits
group by date
) b using date

-- ==== top_browsers.endpoint ====
select browser, uniq(session_id) as visits, countMerge(hits) as hits
from analytics_sessions_mv
where
    
        date
        >=
        '2019-01-01'
    
    
        and date
        <=
        '2019-01-01'
    
group by browser
order by visits desc
limit 0,50

-- ==== top_devices.endpoint ====
select device, uniq(session_id) as visits, countMerge(hits) as hits
from analytics_sessions_mv
where
    
        date
        >=
        '2019-01-01'
    
    
        and date
        <=
        '2019-01-01'
    
group by device
order by visits desc
limit 0,50

-- ==== top_locations.endpoint ====
select location, uniqMerge(visits) as visits, countMerge(hits) as hits
from analytics_pages_mv
where
    
        date
        >=
        '2019-01-01'
    
    
        and date
        <=
        '2019-01-01'
    
group by location
order by visits desc
limit 0,50

-- ==== top_pages.endpoint ====
select pathname, uniqMerge(visits) as visits, countMerge(hits) as hits
from analytics_pages_mv
where
    
        date
        >=
        '2019-01-01'
    
    
        and date
        <=
        '2019-01-01'
    
group by pathname
order by visits desc
limit 0,50

-- ==== top_sources.endpoint ====
select domainWithoutWWW(referrer) as referrer, uniqMerge(visits) as visits, countMerge(hits) as hits
from analytics_sources_mv
where
    
        date
        >=
        '2019-01-01'
    
    
        and date
        <=
        '2019-01-01'
    
group by referrer
order by visits desc
limit 0,50

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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
where timestamp >= (now() - interval 30 minute)
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
    JSONExtractString(payload, 'locale') as locale,
    JSONExtractString(payload, 'location') as location,
    JSONExtractString(payload, 'referrer') as referrer,
    JSONExtractString(payload, 'pathname') as pathname,
    JSONExtractString(payload, 'href') as href,
    domainWithoutWWW(href) as current_domain,
    lower(JSONExtractString(payload, 'user-agent')) as user_agent
FROM analytics_events
where action = 'page_hit'
) AS parsed_hits
) AS analytics_hits
where timestamp >= (now() - interval 30 minute)
group by toStartOfMinute(timestamp)
order by toStartOfMinute(timestamp)
) b on a.t = b.t order by a.t

