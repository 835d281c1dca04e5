// The /v1 JSON API with the signed-in key; failures become ApiError carrying the problem+json.
import { apiKey } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** Reads a failed response's problem+json (or makes one from its status). */
export async function problemOf(res) {
  let problem = {};
  try { problem = await res.json(); } catch { problem = { title: res.statusText }; }
  return new ApiError(res.status, problem);
}

export function authHeaders(key = apiKey()) {
  return { Authorization: `Bearer ${key}` };
}

/** fetch with the key; a 401 also tells the app (the key was revoked or mistyped). */
export async function request(path, { method = 'GET', json, body, headers = {}, key, signal } = {}) {
  const all = { Accept: 'application/json', ...authHeaders(key), ...headers };
  if (json !== undefined) {
    all['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const res = await fetch(path, { method, headers: all, body, signal });
  if (!res.ok) {
    const error = await problemOf(res);
    if (res.status === 401 && key === undefined) window.dispatchEvent(new CustomEvent('unmask:unauthorized'));
    throw error;
  }
  return res;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

export async function postJson(path, json, options = {}) {
  return (await request(path, { ...options, method: 'POST', json })).json();
}

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Models a generate job can use (presets are architectures without weights). */
export async function usableModels(signal) {
  const { models } = await getJson('/v1/models', { signal });
  return models.filter((m) => m.kind !== 'preset');
}
