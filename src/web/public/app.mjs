// Progressive enhancement only: every page works without JavaScript.
import { initAll } from './govuk-frontend.min.js';

initAll();

// A long-running forecast: read its progress every second and show it; open the results when it is done.
for (const box of document.querySelectorAll('[data-progress-url]')) {
  const url = box.getAttribute('data-progress-url');
  const text = box.querySelector('[data-progress-text]');
  const bar = box.querySelector('[data-progress-bar]');
  let lastSaid = '';
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return;
      const progress = await response.json();
      if (progress.status !== 'running') {
        window.location.reload();
        return;
      }
      // Said again only when a tenth more is done or the step changes, so that a screen reader is not flooded.
      const said = `${progress.step}:${Math.floor(progress.percent / 10)}`;
      if (text && said !== lastSaid) {
        text.textContent = progress.text;
        lastSaid = said;
      }
      if (bar) {
        bar.value = progress.percent;
        bar.textContent = `${progress.percent}%`;
      }
    } catch {
      // The button still works: nothing to do.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}
