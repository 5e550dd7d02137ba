// Calls to this server's /v1 API. When the server requires a bearer token, the first answer
// 401 asks for it (a dialog), and it is sent as `Authorization: Bearer` from then on. The
// token is kept in this tab's sessionStorage only.

import { $ } from './dom.js';

const KEY = 'covenant-token';

function token() {
  try { return sessionStorage.getItem(KEY) || ''; } catch { return ''; }
}

function keep(value) {
  try { sessionStorage.setItem(KEY, value); } catch { /* private mode: for this page only */ }
  memory = value;
}

let memory = token();

/** An error answered by the server: its code, message and diagnostics. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `the server answered ${status}`);
    this.status = status;
    this.code = body?.code || '';
    this.diagnostics = body?.diagnostics || [];
  }
}

/** Ask the user for the token; resolves true when one was given. */
export function askToken(again = false) {
  const dialog = $('#token-dialog');
  const input = $('#token-input');
  const error = $('#token-error');
  error.hidden = !again;
  error.textContent = again ? 'The server did not accept that token.' : '';
  input.value = '';
  return new Promise((resolve) => {
    const form = $('#token-form');
    const done = (ok) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      resolve(ok);
    };
    const onSubmit = (e) => {
      e.preventDefault();
      if (e.submitter?.value === 'cancel') return done(false);
      if (!input.value.trim()) { input.focus(); return; }
      keep(input.value.trim());
      $('#token-button').hidden = false;
      done(true);
    };
    const onCancel = () => done(false);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
  });
}

/**
 * Call the API. `body` is a string (sent with `type`) or an object (sent as JSON). Answers
 * `{status, text, json, headers}` for a 2xx; throws ApiError otherwise.
 */
export async function call(method, path, { body, type } = {}) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const headers = {};
    let payload = body;
    if (body !== undefined && typeof body !== 'string') {
      payload = JSON.stringify(body);
      type = 'application/json';
    }
    if (type) headers['Content-Type'] = type;
    if (memory) headers.Authorization = `Bearer ${memory}`;
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: `The server could not be reached (${e.message}).` });
    }
    const text = await response.text();
    let json = null;
    try { json = text && JSON.parse(text); } catch { json = null; }
    if (response.status === 401) {
      if (await askToken(attempt > 0 || Boolean(memory))) continue;
      throw new ApiError(401, json);
    }
    if (!response.ok) throw new ApiError(response.status, json);
    return { status: response.status, text, json, headers: response.headers };
  }
  throw new ApiError(401, { message: 'The server did not accept the token.' });
}

export const get = (path) => call('GET', path);
export const post = (path, body, type) => call('POST', path, { body, type });

/** The media type of a deal format. */
export function mediaType(format) {
  return { json: 'application/json', toml: 'application/toml', yaml: 'application/yaml' }[format] || 'application/yaml';
}
