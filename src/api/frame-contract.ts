/**
 * The frame tier's share of the contract: which elements the backend serves as isolated frames
 * and where. The server imports it to route and build frame pages; the frame bundle imports it to
 * pick its element. The host bundle needs none of it (a shell knows its own name).
 */

/**
 * Elements served as isolated frames (tier I) at `/frame/{business}/{element}`. Each needs a
 * loader in src/frame/main.ts, which the type system enforces.
 */
export const FRAME_ELEMENTS = [
  'probe',
  'account',
  'invoices',
  'two-factor',
  'passkey-popup',
  // The whole booking flow, for a business in HIPAA mode (`<cita-booking-form>` becomes its shell).
  'booking',
] as const;
export type FrameElementName = (typeof FRAME_ELEMENTS)[number];

export function isFrameElement(name: string): name is FrameElementName {
  return (FRAME_ELEMENTS as readonly string[]).includes(name);
}

export const frameRoutes = {
  /** The frame page of one element for one business. */
  page: (business: string, element: string) =>
    `/frame/${encodeURIComponent(business)}/${encodeURIComponent(element)}`,
  /** Where the frame bundle is served from (same origin as the pages). */
  assets: '/frame-assets/',
} as const;

/** The `<meta name>` under which a frame page lists its business's allowed origins, space-separated. */
export const ALLOWED_ORIGINS_META = 'cita-allowed-origins';

/**
 * Trusted Types policy names the frame bundle creates (Lit's, renamed by the build, and the
 * sanitiser's): the frame page's CSP lists exactly these.
 */
export const FRAME_TRUSTED_TYPES = ['cita-lit', 'cita-sanitize'] as const;
