-- ==== api_last_played_games.endpoint ====
SELECT
    session_id,
    countMerge(scores) AS total_score,
    toDateTime(maxMerge(game_ts)) AS t
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY session_id
ORDER BY t DESC
LIMIT 10

-- ==== api_leaderboard.rank_games ====
SELECT
    ROW_NUMBER() OVER (ORDER BY total_score DESC, t) AS rank,
    player_id,
    session_id,
    countMerge(scores) AS total_score,
    maxMerge(game_ts) AS t
FROM mv_player_stats
GROUP BY player_id, session_id
ORDER BY rank

-- ==== api_leaderboard.last_game ====
SELECT
    argMax(rank, t) AS rank,
    player_id,
    argMax(session_id, t) AS session_id,
    argMax(total_score, t) AS total_score
FROM (
SELECT
    ROW_NUMBER() OVER (ORDER BY total_score DESC, t) AS rank,
    player_id,
    session_id,
    countMerge(scores) AS total_score,
    maxMerge(game_ts) AS t
FROM mv_player_stats
GROUP BY player_id, session_id
ORDER BY rank
) AS rank_games
WHERE
    player_id = 'player1'
GROUP BY player_id

-- ==== api_leaderboard.endpoint ====
SELECT *
FROM
    (
        SELECT rank, player_id, session_id, total_score
        FROM (
SELECT
    ROW_NUMBER() OVER (ORDER BY total_score DESC, t) AS rank,
    player_id,
    session_id,
    countMerge(scores) AS total_score,
    maxMerge(game_ts) AS t
FROM mv_player_stats
GROUP BY player_id, session_id
ORDER BY rank
) AS rank_games
        WHERE
            (player_id, session_id)
            NOT IN (SELECT player_id, session_id FROM (
SELECT
    argMax(rank, t) AS rank,
    player_id,
    argMax(session_id, t) AS session_id,
    argMax(total_score, t) AS total_score
FROM (
SELECT
    ROW_NUMBER() OVER (ORDER BY total_score DESC, t) AS rank,
    player_id,
    session_id,
    countMerge(scores) AS total_score,
    maxMerge(game_ts) AS t
FROM mv_player_stats
GROUP BY player_id, session_id
ORDER BY rank
) AS rank_games
WHERE
    player_id = 'player1'
GROUP BY player_id
) AS last_game)
        LIMIT 9
        UNION ALL
        SELECT rank, player_id, session_id, total_score
        FROM (
SELECT
    argMax(rank, t) AS rank,
    player_id,
    argMax(session_id, t) AS session_id,
    argMax(total_score, t) AS total_score
FROM (
SELECT
    ROW_NUMBER() OVER (ORDER BY total_score DESC, t) AS rank,
    player_id,
    session_id,
    countMerge(scores) AS total_score,
    maxMerge(game_ts) AS t
FROM mv_player_stats
GROUP BY player_id, session_id
ORDER BY rank
) AS rank_games
WHERE
    player_id = 'player1'
GROUP BY player_id
) AS last_game
    )
ORDER BY rank

-- ==== api_personalization.agg ====
SELECT
    player_id,
    session_id,
    countMerge(scores) AS score,
    countMerge(purchases) AS purchases,
    maxMerge(game_ts) AS t
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY player_id, session_id

-- ==== api_personalization.stats ====
SELECT
    player_id,
    count() AS total_games,
    sum(score) AS total_score,
    round(total_score / total_games, 2) AS avg_score,
    sum(purchases) AS purchases
FROM (
SELECT
    player_id,
    session_id,
    countMerge(scores) AS score,
    countMerge(purchases) AS purchases,
    maxMerge(game_ts) AS t
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY player_id, session_id
) AS agg
WHERE t >= now() - INTERVAL 5 MINUTE
GROUP BY player_id

-- ==== api_personalization.endpoint ====
SELECT if(total_games >= 3 AND total_score <= 30 AND purchases = 0, 1, 0) AS offer
FROM (
SELECT
    player_id,
    count() AS total_games,
    sum(score) AS total_score,
    round(total_score / total_games, 2) AS avg_score,
    sum(purchases) AS purchases
FROM (
SELECT
    player_id,
    session_id,
    countMerge(scores) AS score,
    countMerge(purchases) AS purchases,
    maxMerge(game_ts) AS t
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY player_id, session_id
) AS agg
WHERE t >= now() - INTERVAL 5 MINUTE
GROUP BY player_id
) AS stats

-- ==== api_player_stats.agg ====
SELECT player_id, session_id, countMerge(scores) AS score
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY player_id, session_id

-- ==== api_player_stats.stats ====
SELECT
    player_id,
    count() AS n_games,
    sum(score) AS total_score,
    round(total_score / n_games, 2) AS avg_score,
    max(score) AS max_score
FROM (
SELECT player_id, session_id, countMerge(scores) AS score
FROM mv_player_stats
WHERE
    player_id = 'player1'
GROUP BY player_id, session_id
) AS agg
GROUP BY player_id

-- ==== mat_player_stats.mv ====
SELECT
    name AS player_id,
    session_id,
    countIfState(type = 'score') AS scores,
    countIfState(type = 'purchase') AS purchases,
    maxState(timestamp) AS game_ts
FROM events_api
GROUP BY
    player_id,
    session_id

