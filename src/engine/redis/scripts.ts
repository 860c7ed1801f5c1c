/**
 * The Lua scripts behind the Redis presence log. Each runs atomically inside Redis, so a decision's events, the online
 * list they change and the sessions' owners are written together or not at all.
 *
 * Keys (under a prefix, `imstate:` by default): `seq` (the last sequence number), `events` (a Stream whose entry ids
 * are `<seq>-0`, fields `e` = the change as JSON and `o` = the server that appended it), `users` (name → user JSON),
 * `owners` (name → server id), `sessions:<server>` (the names a server holds), `servers` (the servers holding any),
 * `lease:<server>` (present while that server is alive), `epoch` (a random id: gone when Redis lost its data).
 * @module
 */

/** The key names under `prefix`. */
export const redisKeys = (prefix: string) => ({
  seq: `${prefix}seq`,
  events: `${prefix}events`,
  users: `${prefix}users`,
  owners: `${prefix}owners`,
  servers: `${prefix}servers`,
  epoch: `${prefix}epoch`,
  sessions: (server: string) => `${prefix}sessions:${server}`,
  lease: (server: string) => `${prefix}lease:${server}`,
});

/** Shared Lua: puts a user in as `owner`'s (replacing any of its name) or takes one out, keeping the owner sets. */
const LIST_HELPERS = `
local function drop_owner(prefix, servers, owners, name)
  local o = redis.call('HGET', owners, name)
  if o then
    redis.call('HDEL', owners, name)
    redis.call('SREM', prefix .. 'sessions:' .. o, name)
    if redis.call('SCARD', prefix .. 'sessions:' .. o) == 0 then redis.call('SREM', servers, o) end
  end
end
local function put_user(prefix, users, owners, servers, name, json, owner)
  drop_owner(prefix, servers, owners, name)
  redis.call('HSET', users, name, json)
  redis.call('HSET', owners, name, owner)
  redis.call('SADD', prefix .. 'sessions:' .. owner, name)
  redis.call('SADD', servers, owner)
end
`;

/**
 * The conditional append. KEYS: seq, events, users, owners, servers, epoch. ARGV: at, epoch, owner, prefix, maxlen,
 * then one JSON change each. Returns `{1, seq}` (appended; seq = the last one now), `{0, seq}` (the log moved on
 * since `at` and the decision no longer holds: nothing written), or `{-1, epoch or '', seq}` (Redis does not hold the
 * epoch this writer knows: it lost its data, or someone restored it).
 *
 * A decision that read the log at `at` still holds when every name it touches is as it assumed: each leave's session
 * is the one online, each join's name is free (after the leaves before it). Other servers' events about other names
 * do not invalidate it, so servers busy fanning out (and so a little behind the stream) do not refuse each other's
 * logins; the events are numbered after whatever came in between.
 */
export const APPEND_LUA = `${LIST_HELPERS}
local function still_holds(users, changes)
  local shadow = {}
  for _, change in ipairs(changes) do
    local name = change.type == 'joined' and change.user.name or change.name
    local online = shadow[name]
    if online == nil then
      local json = redis.call('HGET', users, name)
      online = json and cjson.decode(json).session or false
    end
    if change.type == 'joined' then
      if online ~= false then return false end
      shadow[name] = change.user.session
    else
      if online ~= change.session then return false end
      shadow[name] = false
    end
  end
  return true
end
local epoch = redis.call('GET', KEYS[6])
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
if epoch ~= ARGV[2] then return {-1, epoch or '', seq} end
local changes = {}
for i = 6, #ARGV do changes[#changes + 1] = cjson.decode(ARGV[i]) end
if seq ~= tonumber(ARGV[1]) and not still_holds(KEYS[3], changes) then return {0, seq} end
local owner, prefix = ARGV[3], ARGV[4]
for i = 6, #ARGV do
  seq = seq + 1
  local change = changes[i - 5]
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], seq .. '-0', 'e', ARGV[i], 'o', owner)
  if change.type == 'joined' then
    put_user(prefix, KEYS[3], KEYS[4], KEYS[5], change.user.name, cjson.encode(change.user), owner)
  else
    -- A leave applies only to the session online (as the fold does): a stale one changes nothing but seq.
    local current = redis.call('HGET', KEYS[3], change.name)
    if current and cjson.decode(current).session == change.session then
      redis.call('HDEL', KEYS[3], change.name)
      drop_owner(prefix, KEYS[5], KEYS[4], change.name)
    end
  end
end
redis.call('SET', KEYS[1], seq)
return {1, seq}
`;

/**
 * The snapshot in one read. KEYS: seq, users, owners, epoch. ARGV: a fresh epoch and the epoch the caller knows ('' for
 * none). The fresh one is set only when Redis holds no log and the caller knows none (a first start); a caller that
 * knew one finds '' and restores. Returns `{epoch, seq, users (flat name/json pairs), owners (flat pairs),
 * created (1 when this call made the epoch)}`.
 */
export const SNAPSHOT_LUA = `
local created = 0
local epoch = redis.call('GET', KEYS[4])
if not epoch and ARGV[2] == '' and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('SET', KEYS[4], ARGV[1])
  epoch, created = ARGV[1], 1
end
return {epoch or '', tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), created}
`;

/**
 * Puts back a log Redis lost (restarted empty): only if Redis holds no epoch. KEYS: seq, events, users, owners,
 * servers, epoch. ARGV: new epoch, seq, prefix, lease ms, then (name, user JSON, owner) triples. Every owner gets a
 * fresh lease, so a live server has one lease period to renew its own before its sessions count as orphans.
 * Returns `{1, epoch}` when it restored, `{0, epoch}` when someone else had.
 */
export const RESTORE_LUA = `${LIST_HELPERS}
local epoch = redis.call('GET', KEYS[6])
if epoch then return {0, epoch} end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
local prefix = ARGV[3]
for i = 5, #ARGV, 3 do
  put_user(prefix, KEYS[3], KEYS[4], KEYS[5], ARGV[i], ARGV[i + 1], ARGV[i + 2])
  redis.call('SET', prefix .. 'lease:' .. ARGV[i + 2], 'restored', 'PX', ARGV[4], 'NX')
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[6], ARGV[1])
return {1, ARGV[1]}
`;

/**
 * The sessions of servers whose lease is gone (killed, or cut off longer than a lease). KEYS: servers, users.
 * ARGV: prefix, the caller's own id (never an orphan to itself). Returns flat (owner, user JSON) pairs.
 */
export const ORPHANS_LUA = `
local out = {}
for _, owner in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if owner ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'lease:' .. owner) == 0 then
    for _, name in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'sessions:' .. owner)) do
      local user = redis.call('HGET', KEYS[2], name)
      if user then table.insert(out, owner); table.insert(out, user) end
    end
  end
end
return out
`;
