'use strict';
// The Node reference stack of the load test (benchmarks/load/run.sh): express + express-session + connect-redis on
// the same redis-server as the SessionKit instances, behind the same session check and the same 12-byte body.
//   POST /user/login  {"username":"admin","password":"admin"} -> 200 and a session cookie (connect.sid)
//   GET  /member      -> 200 "Hello World!" with a signed-in session, else 401
// Environment: PORT, REDIS_URL (redis://127.0.0.1:6379), SESSION_SECRET (required), CLUSTER=N (N workers with Node's
// cluster module; otherwise one process), CLIENT_NAME (the Redis connection's CLIENT SETNAME, so that the load test can
// tell this app's commands apart in MONITOR).
const cluster = require('node:cluster');
const crypto = require('node:crypto');

const workers = Number.parseInt(process.env.CLUSTER || '0', 10);

if (workers > 0 && cluster.isPrimary) {
  let shuttingDown = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (!shuttingDown) {
      console.error(`worker ${worker.process.pid} exited (${signal || code}); stopping`);
      process.exit(1);
    }
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      shuttingDown = true;
      for (const worker of Object.values(cluster.workers)) worker.kill('SIGTERM');
      setTimeout(() => process.exit(0), 2000).unref();
      cluster.disconnect(() => process.exit(0));
    });
  }
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

async function main() {
  const express = require('express');
  const session = require('express-session');
  const { RedisStore } = require('connect-redis');
  const { createClient } = require('redis');

  const secret = process.env.SESSION_SECRET;
  if (!secret) throw new Error('SESSION_SECRET is required');
  const port = Number.parseInt(process.env.PORT || '3000', 10);

  const client = createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', name: process.env.CLIENT_NAME || undefined });
  client.on('error', (err) => console.error('redis:', err.message));
  await client.connect();

  // One fixed user; both values are compared in constant time (digests of equal length).
  const digest = (value) => crypto.createHash('sha256').update(String(value)).digest();
  const user = { username: digest('admin'), password: digest('admin') };
  const matches = (username, password) => {
    const a = crypto.timingSafeEqual(digest(username), user.username);
    const b = crypto.timingSafeEqual(digest(password), user.password);
    return a && b;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(session({
    store: new RedisStore({ client, prefix: 'sess:' }),
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: false },
  }));

  app.post('/user/login', express.json(), (req, res, next) => {
    const { username, password } = req.body || {};
    if (typeof username !== 'string' || typeof password !== 'string' || !matches(username, password)) {
      return res.status(401).json({ error: 'Invalid username or password.' });
    }
    // A new session id at sign-in (as SessionKit always does), then the user on it.
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.user = { name: 'admin' };
      res.json({ username: 'admin' });
    });
  });

  app.get('/member', (req, res) => {
    if (!req.session.user) return res.status(401).end();
    res.type('text/plain').send('Hello World!');
  });

  const server = app.listen(port, '127.0.0.1');
  const stop = () => server.close(() => client.quit().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
