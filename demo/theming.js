// Theming playground: every control sets one --cita-* token (or the theme / lang attribute) on the
// preview and prints the CSS a site owner would paste. Values go through style.setProperty, never
// through a style attribute string, so the page keeps a strict CSP.
const form = document.getElementById('controls');
const preview = document.getElementById('preview');
const out = document.getElementById('css');

function apply() {
  const lines = [];
  for (const el of form.elements) {
    if (!el.name) continue;
    const value = el.dataset.unit ? `${el.value}${el.dataset.unit}` : el.value;
    if (el.name.startsWith('--')) {
      preview.style.setProperty(el.name, value);
      lines.push(`  ${el.name}: ${value};`);
    } else {
      preview.setAttribute(el.name, value);
    }
  }
  out.textContent = `cita-booking-form {\n${lines.join('\n')}\n}\n\ncita-booking-form::part(primary) {\n  /* anything else: see docs/elements.md for parts and states */\n}`;
}
form.addEventListener('input', apply);
apply();
