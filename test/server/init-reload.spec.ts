/**
 * Issue 12, site owners: `cita-server init` writes a configuration that starts, and prints the
 * two lines to paste; a running server reloads its configuration (SIGHUP, file change), refusing
 * an invalid edit with the messages of `check` and keeping the running configuration.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, reloadConfig } from '../../server/config.js';
import { initConfig, pasteLines, slugify } from '../../server/init.js';

const dir = mkdtempSync(join(tmpdir(), 'cita-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cita-server init', () => {
  it('turns a few answers into a valid configuration and the two lines to paste', () => {
    const config = initConfig({
      name: 'Peluquería Lía',
      origin: 'https://lia.example/',
      timeZone: 'Europe/Madrid',
      hours: 'tue-fri 10:00-14:00, tue-fri 16:00-20:00, sat 10:00-14:00',
      services: 'Corte:30:18.50, Tinte:90',
    });
    const parsed = parseConfig(config);
    const b = parsed.businesses.get('peluqueria-lia')!;
    expect(b.originSet.has('https://lia.example')).toBe(true);
    expect(b.manageUrl).toBe('https://lia.example/#cita-manage={id}.{token}');
    expect(b.staff[0]!.weeklyHours.tue).toEqual([
      ['10:00', '14:00'],
      ['16:00', '20:00'],
    ]);
    expect(b.services.map((s) => [s.id, s.durationMinutes, s.priceMinor])).toEqual([
      ['corte', 30, 1850],
      ['tinte', 90, undefined],
    ]);
    expect(pasteLines(config, 'https://book.lia.example')).toBe(
      '<script type="module" src="https://book.lia.example/cita.js" data-business="peluqueria-lia"></script>\n' +
        '<cita-booking-form></cita-booking-form>',
    );
    expect(slugify('Salón Rosa')).toBe('salon-rosa');
  });

  it('refuses answers that would not start, with the reason', () => {
    expect(() => initConfig({ name: 'X', origin: 'https://x.example/shop' })).toThrow(/allowedOrigins/);
    expect(() => initConfig({ name: 'X', origin: 'https://x.example', hours: 'weekdays 9-5' })).toThrow(
      /--hours/,
    );
    expect(() => initConfig({ name: 'X', origin: 'https://x.example', timeZone: 'Mars/Olympus' })).toThrow(
      /timeZone/,
    );
  });
});

describe('configuration reload', () => {
  it('takes a valid edit into the running configuration and refuses an invalid one, keeping the old', async () => {
    const file = join(dir, 'cita.config.json');
    const first = initConfig({ name: 'Uno', origin: 'https://uno.example', timeZone: 'Europe/Madrid' });
    writeFileSync(file, JSON.stringify(first));
    const running = await loadConfig(file);
    const gate = running.businesses; // what the HTTP layer holds

    const second = initConfig({ name: 'Uno', origin: 'https://uno.example', timeZone: 'Europe/Madrid' });
    (second.businesses as { allowedOrigins: string[] }[])[0]!.allowedOrigins.push('https://www.uno.example');
    writeFileSync(file, JSON.stringify(second));
    expect(await reloadConfig(file, running)).toEqual({ ok: true, businesses: ['uno'] });
    expect(gate.get('uno')!.originSet.has('https://www.uno.example')).toBe(true);

    (second.businesses as { timeZone: string }[])[0]!.timeZone = 'Nowhere/Else';
    writeFileSync(file, JSON.stringify(second));
    const refused = await reloadConfig(file, running);
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.message).toMatch(/businesses\[0\]\.timeZone \(uno\): /);
    expect(gate.get('uno')!.timeZone).toBe('Europe/Madrid');
    expect(gate.get('uno')!.originSet.has('https://www.uno.example')).toBe(true);
  });
});
