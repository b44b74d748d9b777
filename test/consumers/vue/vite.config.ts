import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // Cita's elements are custom elements, not Vue components (docs/embedding.md).
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('cita-') } } })],
});
