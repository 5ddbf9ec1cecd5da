/**
 * Answers an admitted request from the object store: documents and health paths, gets, and
 * lists with selectors and real `limit`/`continue` paging across snapshots.
 */
import { decodeContinue, encodeContinue, expired } from './continue-tokens';
import { groupVersionOf, qualified, resourceDetails } from './resources';
import type { Reply } from './replies';
import { jsonReply, listBody, PlainText } from './replies';
import type { Route } from './routes';
import { failure, RESOURCE_NOT_FOUND } from './status';
import type { ObjectStore } from './store';

/** The reply to `route`; throws BadRequestError for a bad selector or continue token. */
export function serve(store: ObjectStore, route: Route, query: URLSearchParams): Reply {
  switch (route.type) {
    case 'document':
      return route.body instanceof PlainText
        ? { status: 200, body: [route.body.text], contentType: 'text/plain; version=0.0.4' }
        : jsonReply(200, route.body);
    case 'health':
      return { status: 200, body: ['ok'], contentType: 'text/plain; charset=utf-8' };
    case 'pageNotFound':
      return {
        status: 404,
        body: ['404 page not found\n'],
        contentType: 'text/plain; charset=utf-8',
      };
    case 'unknownResource':
      return jsonReply(404, RESOURCE_NOT_FOUND);
    case 'list':
      return list(store, route, query);
    case 'get':
      return get(store, route);
  }
}

/**
 * One page of a list. A first page reads the latest snapshot; a continued one reads the
 * snapshot its token names, so objects replaced meanwhile do not shift the pages (410 once that
 * snapshot is compacted).
 */
function list(
  store: ObjectStore,
  route: Extract<Route, { type: 'list' }>,
  query: URLSearchParams,
): Reply {
  const { resource, namespace } = route;
  const rawContinue = query.get('continue');
  const token = rawContinue ? decodeContinue(rawContinue) : undefined;
  if (token && query.get('resourceVersion')) {
    return jsonReply(
      400,
      failure(
        400,
        'BadRequest',
        'specifying resource version is not allowed when using continue',
        {},
      ),
    );
  }
  const rawLimit = query.get('limit');
  if (rawLimit !== null && !/^-?\d+$/.test(rawLimit)) {
    return jsonReply(
      400,
      failure(400, 'BadRequest', `strconv.ParseInt: parsing "${rawLimit}": invalid syntax`, {}),
    );
  }
  const limit = rawLimit === null ? 0 : Math.max(0, Number(rawLimit));
  const snapshot = token ? store.at(token.rv) : store.latest;
  if (!snapshot) return jsonReply(410, expired(rawContinue));
  const labels = query.get('labelSelector') ?? '';
  const fields = query.get('fieldSelector') ?? '';
  const all = store.matching(snapshot, resource, namespace, labels, fields);
  const offset = token?.offset ?? 0;
  const end = limit > 0 ? Math.min(offset + limit, all.length) : all.length;
  const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
  if (end < all.length) {
    metadata.continue = encodeContinue({
      rv: snapshot.rv,
      offset: end,
      page: (token?.page ?? 1) + 1,
    });
    // The real server leaves remainingItemCount out when a selector makes the count unknown.
    if (!labels && !fields) metadata.remainingItemCount = all.length - end;
  }
  return {
    status: 200,
    body: listBody(
      `${resource.kind}List`,
      groupVersionOf(resource),
      metadata,
      all.slice(offset, end),
    ),
  };
}

/** One object from the latest snapshot, or the API server's 404 naming it. */
function get(store: ObjectStore, route: Extract<Route, { type: 'get' }>): Reply {
  const found = (store.latest.byResource.get(route.resource.plural) ?? []).find(
    (o) => o.name === route.name && o.namespace === route.namespace,
  );
  if (found) return jsonReply(200, found.object);
  return jsonReply(
    404,
    failure(
      404,
      'NotFound',
      `${qualified(route.resource)} "${route.name}" not found`,
      resourceDetails(route.resource, route.name),
    ),
  );
}
