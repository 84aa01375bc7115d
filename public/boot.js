// Loads the WebAssembly app. Kept as a file (not inline) so the page's CSP can forbid inline script.
import init from './spoor-web.js';

init({ module_or_path: new URL('./spoor-web_bg.wasm', import.meta.url) }).catch((err) => {
  const status = document.getElementById('boot-status');
  if (status) {
    status.textContent = 'Spoor could not start: ' + err;
    status.classList.add('boot-failed');
  }
  console.error(err);
});
