// Contract-valid responses shared by the two deliberately misbehaving test servers
// (test/client.spec.ts in Node, test/support/misbehaving-server.mjs for the browser).

/** A business's public configuration, valid against the contract's BusinessConfig. */
export const business = (slug) => ({
  slug,
  name: 'Salón Rosa',
  timeZone: 'Europe/Madrid',
  locale: 'es-ES',
  currency: 'EUR',
  customerFields: ['name', 'email'],
  policies: {},
  rules: { slotStepMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 90 },
  security: {
    twoFactor: 'off',
    hipaa: false,
    password: { minLength: 12, maxLength: 128, requireClasses: false },
    sessionIdleMinutes: 15,
  },
});

/** A service list, valid against the contract's ServiceList. */
export const services = {
  services: [{ id: 'haircut', name: 'Haircut', durationMinutes: 45, staff: [{ id: 'rosa', name: 'Rosa' }] }],
};
