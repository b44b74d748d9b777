// Language and colour-scheme switches of the demo site. The widget follows <html lang> on its own.
const root = document.documentElement;
for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    root.lang = button.dataset.lang;
    for (const b of document.querySelectorAll('[data-lang]'))
      b.setAttribute('aria-pressed', String(b === button));
  });
}
const toggle = document.querySelector('[data-theme-toggle]');
toggle?.addEventListener('click', () => {
  const dark = root.dataset.theme !== 'dark';
  root.dataset.theme = dark ? 'dark' : 'light';
  toggle.setAttribute('aria-pressed', String(dark));
  for (const el of document.querySelectorAll('cita-booking-form, cita-booking-manager'))
    el.setAttribute('theme', dark ? 'dark' : 'light');
});
// Events carry ids and codes only; a site can forward them to its analytics.
document.addEventListener('cita-booking-confirmed', (e) => console.info('booked', e.detail.reference));
document.addEventListener('cita-error', (e) => console.info('cita-error', e.detail.code));
