/**
 * Account emails, plain text, in Spanish or English: the sign-up code, "you already have an
 * account" (sent instead of a code, so sign-up does not reveal which emails are registered),
 * the lock notice, the password-reset link, the staff setup link and the password-changed notice;
 * for two-factor, a factor added or removed, a recovery code used, new recovery codes.
 * They go through the outbox like booking emails; the outbox drops each body once it is sent.
 */
import type { Business } from '../config.js';
import { emailLanguage } from './email.js';
import type { RenderedEmail } from './email.js';

const STRINGS = {
  es: {
    codeSubject: (b: string) => `Tu código para crear una cuenta en ${b}`,
    codeBody: (b: string, code: string, minutes: number) =>
      `Para crear tu cuenta en ${b}, escribe este código:\n\n    ${code}\n\nCaduca en ${minutes} minutos. Si no lo has pedido tú, ignora este mensaje.`,
    existsSubject: (b: string) => `Ya tienes una cuenta en ${b}`,
    existsBody: (b: string) =>
      `Alguien (quizá tú) ha intentado crear una cuenta en ${b} con esta dirección, pero ya tienes una.\n\nInicia sesión, o usa "He olvidado mi contraseña" si no la recuerdas. Si no has sido tú, ignora este mensaje.`,
    lockSubject: (b: string) => `Hemos bloqueado temporalmente tu cuenta en ${b}`,
    lockBody: (b: string, until: string) =>
      `Ha habido varios intentos fallidos de iniciar sesión en tu cuenta de ${b}, así que la hemos bloqueado hasta ${until}.\n\nSi has sido tú, espera o restablece tu contraseña con "He olvidado mi contraseña": eso la desbloquea enseguida. Si no has sido tú, tu contraseña sigue a salvo; te recomendamos cambiarla.`,
    resetSubject: (b: string) => `Restablece tu contraseña de ${b}`,
    resetBody: (b: string, link: string, minutes: number) =>
      `Para elegir una contraseña nueva para tu cuenta de ${b}, abre este enlace:\n\n${link}\n\nSirve una sola vez y caduca en ${minutes} minutos. Si no lo has pedido tú, ignora este mensaje: tu contraseña no cambia.`,
    setupSubject: (b: string) => `Tu acceso a la consola de ${b}`,
    setupBody: (b: string, link: string, hours: number) =>
      `Se ha creado tu acceso a la consola de ${b}. Para elegir tu contraseña, abre este enlace:\n\n${link}\n\nSirve una sola vez y caduca en ${hours} horas.`,
    changedSubject: (b: string) => `Tu contraseña de ${b} ha cambiado`,
    changedBody: (b: string) =>
      `La contraseña de tu cuenta de ${b} acaba de cambiar y se han cerrado las demás sesiones.\n\nSi no has sido tú, restablécela enseguida con "He olvidado mi contraseña".`,
    factorAddedSubject: (b: string) => `Nuevo método de verificación en tu cuenta de ${b}`,
    factorAddedBody: (b: string, what: string) =>
      `Se ha añadido ${what} a tu cuenta de ${b}.\n\nSi no has sido tú, cambia tu contraseña enseguida y quita ese método en "Seguridad".`,
    factorRemovedSubject: (b: string) => `Se ha quitado un método de verificación de tu cuenta de ${b}`,
    factorRemovedBody: (b: string, what: string) =>
      `Se ha quitado ${what} de tu cuenta de ${b}.\n\nSi no has sido tú, cambia tu contraseña enseguida y ponte en contacto con ${b}.`,
    totp: 'una aplicación de autenticación',
    passkey: (name: string) => `la llave de acceso «${name}»`,
    allFactors: 'todos los métodos de verificación (a petición tuya, por quien administra el servicio)',
    recoveryUsedSubject: (b: string) => `Se ha usado un código de recuperación en ${b}`,
    recoveryUsedBody: (b: string, left: number) =>
      `Alguien ha iniciado sesión en tu cuenta de ${b} con un código de recuperación. Te quedan ${left}.\n\nSi no has sido tú, cambia tu contraseña y genera códigos nuevos en "Seguridad" enseguida.`,
    recoveryNewSubject: (b: string) => `Nuevos códigos de recuperación en ${b}`,
    recoveryNewBody: (b: string) =>
      `Se han generado códigos de recuperación nuevos para tu cuenta de ${b}; los anteriores ya no sirven.\n\nSi no has sido tú, cambia tu contraseña enseguida.`,
    bye: 'Gracias.',
  },
  en: {
    codeSubject: (b: string) => `Your code to create an account at ${b}`,
    codeBody: (b: string, code: string, minutes: number) =>
      `To create your account at ${b}, enter this code:\n\n    ${code}\n\nIt expires in ${minutes} minutes. If you did not ask for it, ignore this message.`,
    existsSubject: (b: string) => `You already have an account at ${b}`,
    existsBody: (b: string) =>
      `Someone (perhaps you) tried to create an account at ${b} with this address, but you already have one.\n\nSign in, or use "Forgot password" if you do not remember it. If this was not you, ignore this message.`,
    lockSubject: (b: string) => `We have temporarily locked your account at ${b}`,
    lockBody: (b: string, until: string) =>
      `There were several failed attempts to sign in to your account at ${b}, so we have locked it until ${until}.\n\nIf it was you, wait, or reset your password with "Forgot password": that unlocks it at once. If it was not you, your password is still safe; we suggest changing it.`,
    resetSubject: (b: string) => `Reset your password at ${b}`,
    resetBody: (b: string, link: string, minutes: number) =>
      `To choose a new password for your account at ${b}, open this link:\n\n${link}\n\nIt works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
    setupSubject: (b: string) => `Your access to the ${b} console`,
    setupBody: (b: string, link: string, hours: number) =>
      `Your access to the ${b} console has been created. To choose your password, open this link:\n\n${link}\n\nIt works once and expires in ${hours} hours.`,
    changedSubject: (b: string) => `Your password at ${b} has changed`,
    changedBody: (b: string) =>
      `The password of your account at ${b} has just changed, and your other sessions were signed out.\n\nIf this was not you, reset it at once with "Forgot password".`,
    factorAddedSubject: (b: string) => `A new sign-in method on your account at ${b}`,
    factorAddedBody: (b: string, what: string) =>
      `${what[0]!.toUpperCase()}${what.slice(1)} was added to your account at ${b}.\n\nIf this was not you, change your password at once and remove it under "Security".`,
    factorRemovedSubject: (b: string) => `A sign-in method was removed from your account at ${b}`,
    factorRemovedBody: (b: string, what: string) =>
      `${what[0]!.toUpperCase()}${what.slice(1)} was removed from your account at ${b}.\n\nIf this was not you, change your password at once and contact ${b}.`,
    totp: 'an authenticator app',
    passkey: (name: string) => `the passkey "${name}"`,
    allFactors: 'every two-factor method (at your request, by the people who run the service)',
    recoveryUsedSubject: (b: string) => `A recovery code was used at ${b}`,
    recoveryUsedBody: (b: string, left: number) =>
      `Someone signed in to your account at ${b} with a recovery code. You have ${left} left.\n\nIf this was not you, change your password and make new codes under "Security" at once.`,
    recoveryNewSubject: (b: string) => `New recovery codes at ${b}`,
    recoveryNewBody: (b: string) =>
      `New recovery codes were made for your account at ${b}; the earlier ones no longer work.\n\nIf this was not you, change your password at once.`,
    bye: 'Thank you.',
  },
} as const;

type Strings = (typeof STRINGS)['es' | 'en'];

function render(
  business: Business,
  locale: string | null | undefined,
  build: (t: Strings) => [string, string],
): RenderedEmail {
  const t = STRINGS[emailLanguage(locale ?? business.locale)];
  const [subject, body] = build(t);
  return { subject, body: `${body}\n\n${t.bye}\n${business.name}\n` };
}

export const signupCodeEmail = (
  b: Business,
  locale: string | null | undefined,
  code: string,
  minutes: number,
) => render(b, locale, (t) => [t.codeSubject(b.name), t.codeBody(b.name, code, minutes)]);

export const accountExistsEmail = (b: Business, locale: string | null | undefined) =>
  render(b, locale, (t) => [t.existsSubject(b.name), t.existsBody(b.name)]);

export function lockNoticeEmail(b: Business, locale: string | null | undefined, until: Date): RenderedEmail {
  const lang = emailLanguage(locale ?? b.locale);
  const when = new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: b.timeZone,
  }).format(until);
  return render(b, locale, (t) => [t.lockSubject(b.name), t.lockBody(b.name, `${when} (${b.timeZone})`)]);
}

export const resetEmail = (b: Business, locale: string | null | undefined, link: string, minutes: number) =>
  render(b, locale, (t) => [t.resetSubject(b.name), t.resetBody(b.name, link, minutes)]);

export const setupEmail = (b: Business, locale: string | null | undefined, link: string, hours: number) =>
  render(b, locale, (t) => [t.setupSubject(b.name), t.setupBody(b.name, link, hours)]);

export const passwordChangedEmail = (b: Business, locale: string | null | undefined) =>
  render(b, locale, (t) => [t.changedSubject(b.name), t.changedBody(b.name)]);

/** Which factor an email is about. */
export type FactorMention = { kind: 'totp' } | { kind: 'passkey'; name: string } | { kind: 'all' };

const mention = (t: Strings, f: FactorMention) =>
  f.kind === 'totp' ? t.totp : f.kind === 'passkey' ? t.passkey(f.name) : t.allFactors;

export const factorAddedEmail = (b: Business, locale: string | null | undefined, f: FactorMention) =>
  render(b, locale, (t) => [t.factorAddedSubject(b.name), t.factorAddedBody(b.name, mention(t, f))]);

export const factorRemovedEmail = (b: Business, locale: string | null | undefined, f: FactorMention) =>
  render(b, locale, (t) => [t.factorRemovedSubject(b.name), t.factorRemovedBody(b.name, mention(t, f))]);

export const recoveryUsedEmail = (b: Business, locale: string | null | undefined, left: number) =>
  render(b, locale, (t) => [t.recoveryUsedSubject(b.name), t.recoveryUsedBody(b.name, left)]);

export const recoveryRegeneratedEmail = (b: Business, locale: string | null | undefined) =>
  render(b, locale, (t) => [t.recoveryNewSubject(b.name), t.recoveryNewBody(b.name)]);
