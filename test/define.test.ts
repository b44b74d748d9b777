import { expect } from '@open-wc/testing';
import { defineOnce } from '../src/core/define.js';
import { VERSION } from '../src/core/version.js';

describe('defineOnce (two copies of Cita on one page)', () => {
  it('defines a tag once, ignores a second copy, and warns only when the versions differ', () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      class First extends HTMLElement {
        static version = VERSION;
      }
      class SameVersion extends HTMLElement {
        static version = VERSION;
      }
      class OtherVersion extends HTMLElement {
        static version = '0.0.1-other';
      }
      defineOnce('cita-test-twice', First);
      expect(() => defineOnce('cita-test-twice', First)).not.to.throw();
      expect(() => defineOnce('cita-test-twice', SameVersion)).not.to.throw();
      expect(warnings).to.have.length(0);
      expect(() => defineOnce('cita-test-twice', OtherVersion)).not.to.throw();
      expect(customElements.get('cita-test-twice')).to.equal(First);
      expect(String(warnings[0]?.[0])).to.contain('0.0.1-other');
    } finally {
      console.warn = warn;
    }
  });
});

describe('importing the package registers nothing', () => {
  it('defines no custom element when the classes are imported from src/index.ts', async () => {
    const tags = ['cita-booking-form', 'cita-booking-manager', 'cita-consent-checkbox'];
    const before = tags.filter((t) => customElements.get(t));
    expect(before, 'nothing else on this page registers them').to.deep.equal([]);
    const { CitaBookingForm, CitaBookingManager, CitaConsentCheckbox } = await import('../src/index.js');
    expect(CitaBookingForm).to.be.a('function');
    expect(CitaBookingManager).to.be.a('function');
    expect(CitaConsentCheckbox).to.be.a('function');
    expect(tags.filter((t) => customElements.get(t))).to.deep.equal([]);
  });
});
