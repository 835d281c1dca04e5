// Downloads that need the Authorization header: fetch, then a blob behind an object URL.
import { request } from './api.js';

export async function download(url, filename, signal) {
  const res = await request(url, { headers: { Accept: '*/*' }, signal });
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
  return blob.size;
}
