/**
 * "Your invoice is ready": plain text, Spanish or English, with a link to the invoice viewer and
 * nothing else: no amount, no service, no attachment (the invoice is behind sign-in).
 */
import type { Business } from '../../config.js';
import { emailLanguage, type RenderedEmail } from '../email.js';

const STRINGS = {
  es: {
    subject: (b: string) => `Tienes una factura nueva de ${b}`,
    body: (b: string, link: string) =>
      `${b} ha emitido una factura a tu nombre. Puedes verla y descargarla en tu cuenta, iniciando sesión con este correo:\n\n${link}\n\nGracias.`,
  },
  en: {
    subject: (b: string) => `You have a new invoice from ${b}`,
    body: (b: string, link: string) =>
      `${b} has issued an invoice to you. You can see and download it in your account, signing in with this email address:\n\n${link}\n\nThank you.`,
  },
} as const;

export function invoiceReadyEmail(
  business: Business,
  locale: string | null | undefined,
  link: string,
): RenderedEmail {
  const t = STRINGS[emailLanguage(locale ?? business.locale)];
  return { subject: t.subject(business.name), body: t.body(business.name, link) };
}
