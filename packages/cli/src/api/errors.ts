import { errorOfAnswer, type GibbonError } from '@gibbon/contracts';

/** The domain error of a non-2xx answer (`errorOfAnswer`, the one mapping of every client). */
export async function errorOfResponse(response: Response, what: string): Promise<GibbonError> {
  const body = await response.text().catch(() => '');
  return errorOfAnswer(what, response.status, body, { unauthenticated: 'Check GIBBON_TOKEN.' });
}
