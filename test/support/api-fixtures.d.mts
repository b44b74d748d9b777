import type { BusinessConfig, ServiceList } from '../../src/api/contract.js';
export declare const business: (slug: string) => BusinessConfig;
export declare const services: ServiceList;
