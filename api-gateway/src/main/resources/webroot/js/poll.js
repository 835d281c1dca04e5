// Repeats a task every `ms` until the page's signal aborts; skips while the tab is hidden.
export function every(ms, task, signal) {
  let timer;
  const run = async () => {
    if (signal.aborted) return;
    if (!document.hidden) {
      try { await task(); } catch (e) { if (e.name !== 'AbortError') console.warn('refresh failed', e); }
    }
    if (!signal.aborted) timer = setTimeout(run, ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  run();
}
