/**
 * The console's settings view (issue 11): the security and data settings the seed's product has
 * as toggles, read-only. The configuration file stays the source of truth (a change there is
 * checked with `cita-server check`, then the server reloads it); the console shows each value in
 * force, the key that sets it (`businesses[0].security.password.minLength`) and whether the file
 * writes it or the default applies.
 *
 * The values are the running configuration's; "written in the file" is read back from the file
 * now (JSON only: a .js/.ts module is not re-imported for this), so after an edit not yet
 * reloaded the two can differ until the reload.
 */
import { readFileSync } from 'node:fs';
import type {
  Setting,
  SettingId,
  SettingValue,
  SettingsView,
} from '../../src/api/console-people-contract.js';
import type { Business, ServerConfig } from '../config.js';

type Path = (string | number)[];

const formatKey = (path: Path) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** The raw file, when it can be read back as JSON. */
function rawFile(source: string | undefined): unknown {
  if (!source?.endsWith('.json')) return undefined;
  try {
    return JSON.parse(readFileSync(source, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function has(raw: unknown, path: Path): boolean {
  let v = raw;
  for (const p of path) {
    if (!v || typeof v !== 'object' || !(p in v)) return false;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v !== undefined;
}

/**
 * `security.twoFactor` may be written as one mode for everyone (`"required"`); then both per-kind
 * settings come from that one key.
 */
function twoFactorPath(raw: unknown, at: Path, kind: 'staff' | 'customers'): Path {
  const whole = [...at, 'security', 'twoFactor'];
  let v: unknown = raw;
  for (const p of whole)
    v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return typeof v === 'string' ? whole : [...whole, kind];
}

export function settingsView(config: ServerConfig, business: Business): SettingsView {
  const index = [...config.businesses.keys()].indexOf(business.slug);
  const raw = rawFile(config.source);
  const rawIndex = Array.isArray((raw as { businesses?: unknown })?.businesses)
    ? (raw as { businesses: { slug?: unknown }[] }).businesses.findIndex((b) => b?.slug === business.slug)
    : -1;
  const at: Path = ['businesses', rawIndex >= 0 ? rawIndex : index];
  const s = business.security;
  const r = business.retention;
  const inv = business.invoicing;
  // Owner notifications (`notifications.owner.recipients`, issue 11) are another change's: read
  // without their type, so this view works with or without them.
  const owner = (business as unknown as { notifications?: { owner?: { recipients?: unknown } } })
    .notifications?.owner;
  const recipients = Array.isArray(owner?.recipients)
    ? owner.recipients.filter((x): x is string => typeof x === 'string')
    : null;

  const rows: [SettingId, Path, SettingValue][] = [
    ['passwordMinLength', ['security', 'password', 'minLength'], s.password.minLength],
    ['passwordMaxLength', ['security', 'password', 'maxLength'], s.password.maxLength],
    ['passwordRequireClasses', ['security', 'password', 'requireClasses'], s.password.requireClasses],
    ['passwordExpiryDays', ['security', 'password', 'expiryDays'], s.password.expiryDays ?? null],
    ['lockoutThreshold', ['security', 'lockout', 'threshold'], s.lockout.threshold],
    ['lockoutWindowMinutes', ['security', 'lockout', 'windowMinutes'], s.lockout.windowMinutes],
    ['lockoutMinutes', ['security', 'lockout', 'lockMinutes'], s.lockout.lockMinutes],
    ['lockoutMaxMinutes', ['security', 'lockout', 'maxLockMinutes'], s.lockout.maxLockMinutes],
    ['lockoutPerAddress', ['security', 'lockout', 'perAddressThreshold'], s.lockout.perAddressThreshold],
    ['twoFactorStaff', [], s.twoFactor.staff],
    ['twoFactorCustomers', [], s.twoFactor.customers],
    ['hipaa', ['security', 'hipaa'], s.hipaa],
    ['sessionIdleMinutes', ['security', 'sessionIdleMinutes'], s.sessionIdleMinutes],
    ['sessionAbsoluteHours', ['security', 'sessionAbsoluteHours'], s.sessionAbsoluteHours],
    ['retentionDays', ['retention', 'bookingsDays'], r?.bookingsDays ?? null],
    ['retentionFormat', ['retention', 'exportFormat'], r ? r.exportFormat : null],
    ['retentionEncrypted', ['retention', 'exportPublicKey'], Boolean(r?.exportPublicKey)],
    ['invoicingMode', ['invoicing', 'mode'], inv ? inv.mode : null],
    ['invoiceRetentionYears', ['invoicing', 'retentionYears'], inv ? inv.retentionYears : null],
    ['allowedOrigins', ['allowedOrigins'], [...business.allowedOrigins]],
    ['notificationRecipients', ['notifications', 'owner', 'recipients'], recipients],
  ];
  const settings: Setting[] = rows.map(([id, rel, value]) => {
    const path =
      id === 'twoFactorStaff' || id === 'twoFactorCustomers'
        ? twoFactorPath(raw, at, id === 'twoFactorStaff' ? 'staff' : 'customers')
        : [...at, ...rel];
    return { id, path: formatKey(path), value, inFile: raw === undefined ? null : has(raw, path) };
  });
  return { source: config.source ?? null, settings };
}
