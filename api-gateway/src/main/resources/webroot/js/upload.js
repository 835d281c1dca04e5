// Uploads with progress: fetch() cannot report upload progress, XMLHttpRequest can.
import { ApiError, authHeaders } from './api.js';

/** POSTs `file` to `url` as `contentType`; onProgress(fraction) while sending; resolves with the JSON answer or rejects with ApiError. */
export function upload(url, file, contentType, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('load', () => {
      let json = {};
      try { json = JSON.parse(xhr.responseText); } catch { json = { title: xhr.statusText }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else {
        if (xhr.status === 401) window.dispatchEvent(new CustomEvent('unmask:unauthorized'));
        reject(new ApiError(xhr.status, json));
      }
    });
    xhr.addEventListener('error', () => reject(new Error('the upload failed (network error)')));
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
