/** The settings section's words (English, Spanish) and its groups. */
import type { SettingId } from '../../../api/console-people-contract.js';

export const GROUPS = [
  ['password', ['passwordMinLength', 'passwordMaxLength', 'passwordRequireClasses', 'passwordExpiryDays']],
  [
    'lockout',
    ['lockoutThreshold', 'lockoutWindowMinutes', 'lockoutMinutes', 'lockoutMaxMinutes', 'lockoutPerAddress'],
  ],
  ['twoFactor', ['twoFactorStaff', 'twoFactorCustomers']],
  ['hipaa', ['hipaa']],
  ['sessions', ['sessionIdleMinutes', 'sessionAbsoluteHours']],
  ['retention', ['retentionDays', 'retentionFormat', 'retentionEncrypted']],
  ['invoicing', ['invoicingMode', 'invoiceRetentionYears']],
  ['origins', ['allowedOrigins']],
  ['notifications', ['notificationRecipients']],
] as const satisfies readonly (readonly [string, readonly SettingId[]])[];
type Group = (typeof GROUPS)[number][0];

const UNITS_EN: Partial<Record<SettingId, (n: number) => string>> = {
  passwordMinLength: (n) => `${n} characters`,
  passwordMaxLength: (n) => `${n} characters`,
  passwordExpiryDays: (n) => `${n} days`,
  lockoutThreshold: (n) => `${n} failures`,
  lockoutWindowMinutes: (n) => `${n} minutes`,
  lockoutMinutes: (n) => `${n} minutes`,
  lockoutMaxMinutes: (n) => `${n} minutes`,
  lockoutPerAddress: (n) => `${n} failures`,
  sessionIdleMinutes: (n) => `${n} minutes`,
  sessionAbsoluteHours: (n) => `${n} hours`,
  retentionDays: (n) => `${n} days`,
  invoiceRetentionYears: (n) => `${n} years`,
};
const UNITS_ES: typeof UNITS_EN = {
  passwordMinLength: (n) => `${n} caracteres`,
  passwordMaxLength: (n) => `${n} caracteres`,
  passwordExpiryDays: (n) => `${n} días`,
  lockoutThreshold: (n) => `${n} fallos`,
  lockoutWindowMinutes: (n) => `${n} minutos`,
  lockoutMinutes: (n) => `${n} minutos`,
  lockoutMaxMinutes: (n) => `${n} minutos`,
  lockoutPerAddress: (n) => `${n} fallos`,
  sessionIdleMinutes: (n) => `${n} minutos`,
  sessionAbsoluteHours: (n) => `${n} horas`,
  retentionDays: (n) => `${n} días`,
  invoiceRetentionYears: (n) => `${n} años`,
};
const MODES_EN: Record<string, string> = {
  off: 'Off',
  optional: 'Optional',
  required: 'Required',
  verifactu: 'VeriFactu (invoices and records for the tax agency)',
  external: 'External (the business invoices elsewhere)',
  json: 'JSON',
  csv: 'CSV',
};
const MODES_ES: Record<string, string> = {
  off: 'Desactivado',
  optional: 'Opcional',
  required: 'Obligatorio',
  verifactu: 'VeriFactu (facturas y registros para la AEAT)',
  external: 'Externa (el negocio factura con otro programa)',
  json: 'JSON',
  csv: 'CSV',
};

const valueWith =
  (units: typeof UNITS_EN, modes: Record<string, string>) =>
  (id: SettingId, v: string | number): string =>
    typeof v === 'number' ? (units[id]?.(v) ?? String(v)) : (modes[v] ?? v);

const en = {
  heading: 'Settings',
  loading: 'Loading the settings…',
  retry: 'Try again',
  readOnly:
    'Read-only. The configuration file is the source of truth: to change a setting, edit the key shown under it, run `cita-server check`, then reload the server (it reloads a changed .json file by itself, or on SIGHUP).',
  file: 'Configuration file:',
  noFile: 'The server was started without a configuration file (demo).',
  byDefault: 'not in the file: the default applies',
  notSet: 'Not set',
  none: 'None',
  yes: 'Yes',
  no: 'No',
  value: valueWith(UNITS_EN, MODES_EN),
  groups: {
    password: 'Password policy',
    lockout: 'Failed sign-ins',
    twoFactor: 'Two-step sign-in',
    hipaa: 'HIPAA mode',
    sessions: 'Sessions',
    retention: 'Retention (clean history)',
    invoicing: 'Invoicing',
    origins: 'Allowed origins',
    notifications: 'Owner notifications',
  } satisfies Record<Group, string>,
  labels: {
    passwordMinLength: 'Minimum length',
    passwordMaxLength: 'Maximum length',
    passwordRequireClasses: 'Require character classes',
    passwordExpiryDays: 'Passwords expire after',
    lockoutThreshold: 'Failures that lock an account',
    lockoutWindowMinutes: 'Counted within',
    lockoutMinutes: 'First lock lasts',
    lockoutMaxMinutes: 'Longest lock',
    lockoutPerAddress: 'Failures that block an address',
    twoFactorStaff: 'For staff',
    twoFactorCustomers: 'For customers',
    hipaa: 'HIPAA mode',
    sessionIdleMinutes: 'Sign out after inactivity',
    sessionAbsoluteHours: 'Sign out after, whatever the activity',
    retentionDays: 'Clean bookings ended more than',
    retentionFormat: 'Export format',
    retentionEncrypted: 'Exports encrypted to the owner’s key',
    invoicingMode: 'Mode',
    invoiceRetentionYears: 'Invoices kept for',
    allowedOrigins: 'Sites that may embed the widget',
    notificationRecipients: 'Recipients',
  } satisfies Record<SettingId, string>,
};

export type SettingsStrings = typeof en;

const es: SettingsStrings = {
  heading: 'Ajustes',
  loading: 'Cargando los ajustes…',
  retry: 'Reintentar',
  readOnly:
    'Solo lectura. El archivo de configuración manda: para cambiar un ajuste, edita la clave que aparece debajo, ejecuta `cita-server check` y recarga el servidor (recarga solo un .json modificado, o con SIGHUP).',
  file: 'Archivo de configuración:',
  noFile: 'El servidor se inició sin archivo de configuración (demo).',
  byDefault: 'no está en el archivo: se aplica el valor por defecto',
  notSet: 'Sin definir',
  none: 'Ninguno',
  yes: 'Sí',
  no: 'No',
  value: valueWith(UNITS_ES, MODES_ES),
  groups: {
    password: 'Política de contraseñas',
    lockout: 'Accesos fallidos',
    twoFactor: 'Acceso en dos pasos',
    hipaa: 'Modo HIPAA',
    sessions: 'Sesiones',
    retention: 'Conservación (limpiar historial)',
    invoicing: 'Facturación',
    origins: 'Orígenes permitidos',
    notifications: 'Avisos al propietario',
  },
  labels: {
    passwordMinLength: 'Longitud mínima',
    passwordMaxLength: 'Longitud máxima',
    passwordRequireClasses: 'Exigir tipos de caracteres',
    passwordExpiryDays: 'Las contraseñas caducan a los',
    lockoutThreshold: 'Fallos que bloquean una cuenta',
    lockoutWindowMinutes: 'Contados en',
    lockoutMinutes: 'El primer bloqueo dura',
    lockoutMaxMinutes: 'Bloqueo más largo',
    lockoutPerAddress: 'Fallos que bloquean una dirección',
    twoFactorStaff: 'Para el personal',
    twoFactorCustomers: 'Para los clientes',
    hipaa: 'Modo HIPAA',
    sessionIdleMinutes: 'Cerrar sesión tras inactividad',
    sessionAbsoluteHours: 'Cerrar sesión tras, haya o no actividad',
    retentionDays: 'Limpiar reservas terminadas hace más de',
    retentionFormat: 'Formato de exportación',
    retentionEncrypted: 'Exportaciones cifradas con la clave del propietario',
    invoicingMode: 'Modo',
    invoiceRetentionYears: 'Las facturas se conservan',
    allowedOrigins: 'Sitios que pueden insertar el widget',
    notificationRecipients: 'Destinatarios',
  },
};

export const STRINGS = { en, es };
