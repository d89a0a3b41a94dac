// The "My sessions" page: sign in with the cookie scheme, see this user's sessions, revoke one or all the others, name
// this device (a preference kept in the session's data), sign out.
//
// Everything shown comes from the server and none of it is trusted: a user agent is whatever the signing-in client
// sent, a device label whatever a person typed. It reaches the page only as text (textContent, DOM nodes), never as
// HTML. The page's Content-Security-Policy (script-src 'self') is the second line of defence, not the first.

const $ = (id) => document.getElementById(id);

let signedIn = false;

/** A response other than 2xx, with a sentence for people. */
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** One same-origin call to the sample's JSON API; the session cookie goes along (HttpOnly: never seen here). */
async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, describe(response.status, data));
  }

  return data;
}

/** A sentence for a failed call, from its problem details when there are some. */
function describe(status, problem) {
  if (status === 503) return 'The session store is not answering. Try again in a moment.';
  if (status === 429) return 'Too many sign-in attempts. Wait a minute, then try again.';
  if (problem && typeof problem === 'object') {
    if (problem.errors) return Object.values(problem.errors).flat().join(' ');
    if (problem.detail) return problem.detail;
    if (problem.title) return problem.title;
  }
  return `The server answered ${status}.`;
}

/**
 * Runs one action of the person. A 401 while signed in means this session is over — signed out on another device, or
 * revoked from there — so the page says so and shows the sign-in form.
 */
async function act(action) {
  setStatus('');
  try {
    await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && signedIn) {
      showSignIn('This session has ended: it was signed out, perhaps from another device. Sign in again.');
    } else {
      setStatus(error instanceof ApiError ? error.message : 'The server cannot be reached.', true);
    }
  }
}

function setStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function showSignIn(message) {
  signedIn = false;
  $('who').hidden = true;
  $('sessions').hidden = true;
  $('session-rows').replaceChildren();
  $('sign-in').hidden = false;
  setStatus(message);
  $('username').focus();
}

function showSignedIn(user) {
  signedIn = true;
  $('user-name').textContent = user.username;
  $('sign-in').hidden = true;
  $('who').hidden = false;
  $('sessions').hidden = false;
}

/** Reloads the list; this session's label goes into the label field. */
async function loadSessions() {
  const sessions = await api('GET', '/sessions');
  sessions.sort((a, b) => (b.current - a.current) || b.createdAt.localeCompare(a.createdAt));
  $('session-rows').replaceChildren(...sessions.map(row));
  const current = sessions.find((s) => s.current);
  $('device-label').value = current?.deviceLabel ?? '';
}

function row(session) {
  const tr = document.createElement('tr');
  tr.dataset.sessionId = session.id;
  tr.classList.toggle('current', session.current);

  const device = document.createElement('td');
  device.className = 'device';
  if (session.deviceLabel) {
    const label = document.createElement('strong');
    label.className = 'label';
    label.textContent = session.deviceLabel;
    device.append(label, document.createElement('br'));
  }
  const agent = document.createElement('span');
  agent.className = 'agent';
  agent.textContent = session.userAgent || 'Unknown device';
  device.append(agent);
  if (session.current) {
    const mark = document.createElement('span');
    mark.className = 'this-one';
    mark.textContent = 'this one';
    device.append(mark);
  }

  const actions = document.createElement('td');
  if (!session.current) {
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'revoke';
    revoke.textContent = 'Revoke';
    revoke.addEventListener('click', () => act(async () => {
      await api('DELETE', `/sessions/${encodeURIComponent(session.id)}`);
      await loadSessions();
      setStatus('That session is signed out.');
    }));
    actions.append(revoke);
  }

  tr.append(device, cell(session.ipAddress || 'unknown'), cell(when(session.createdAt)), cell(when(session.lastSeenAt)), actions);
  return tr;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act(async () => {
    const user = await api('POST', '/user/login', { username: $('username').value, password: $('password').value });
    $('sign-in-form').reset();
    showSignedIn(user);
    await loadSessions();
  });
});

$('label-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act(async () => {
    await api('PUT', '/sessions/current/preferences', { deviceLabel: $('device-label').value });
    await loadSessions();
    setStatus('This device\'s name is saved with this session.');
  });
});

$('refresh').addEventListener('click', () => act(loadSessions));

$('revoke-others').addEventListener('click', () => act(async () => {
  const { revoked } = await api('POST', '/sessions/revoke-others');
  await loadSessions();
  setStatus(revoked === 1 ? 'Signed out of 1 other session.' : `Signed out of ${revoked} other sessions.`);
}));

$('sign-out').addEventListener('click', () => act(async () => {
  await api('POST', '/user/logout');
  showSignIn('You are signed out.');
}));

// On load: signed in already (the cookie is HttpOnly, so ask the server) or not.
act(async () => {
  try {
    showSignedIn(await api('GET', '/user/me'));
  } catch (error) {
    showSignIn('');
    if (error instanceof ApiError && error.status === 401) return;
    throw error;
  }
  await loadSessions();
});
