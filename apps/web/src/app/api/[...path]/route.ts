// /api/* → the AI Runway API's REST routes, with the session's token (see server/forward.ts).
import { forwardToApi } from '~/server/forward';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ path: string[] }>;
}

async function handle(request: Request, { params }: Context): Promise<Response> {
  return forwardToApi(request, '/api', (await params).path);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
