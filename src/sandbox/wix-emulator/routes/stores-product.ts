import { Router } from 'express';
import { applicationError, siteOf } from '../http.js';
import { v1Shape, v3Shape, wrongCatalog } from './stores.js';

/** Stores: get one product, V3 and V1 (each refused with 428 on the other catalog). */
export function storesProductRoutes(): Router {
  const router = Router();
  for (const [path, version] of [
    ['/stores/v3/products/:id', 'V3_CATALOG'],
    ['/stores-reader/v1/products/:id', 'V1_CATALOG'],
  ] as const) {
    router.get(path, (req, res) => {
      const site = siteOf(res);
      const refused = wrongCatalog(site, version);
      if (refused) throw refused;
      const product = site.products.get(req.params.id);
      if (!product) throw applicationError(404, 'PRODUCT_NOT_FOUND', `Product ${req.params.id} not found`);
      const fields = ([] as unknown[]).concat(req.query.fields ?? []).map(String);
      res.json({
        product: version === 'V3_CATALOG' ? v3Shape(site, product, fields) : v1Shape(site, product),
      });
    });
  }
  return router;
}
