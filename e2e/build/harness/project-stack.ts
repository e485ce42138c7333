import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
  type GitRemote,
} from '@gibbon/test-kit';
import { Project } from './project';
import { Stack, type StackOptions } from './stack';

/** A stack with the project set up on test-kit's git remote, and the test image's tag. */
export interface ProjectStack {
  readonly stack: Stack;
  readonly project: Project;
  readonly image: string;
  /** Closes the stack and the git remote; safe after a failed start. */
  close(): Promise<void>;
}

/**
 * `Stack.start` with test-kit's parts and the git remote allowed (`GIBBON_GIT_HOSTS`, as an
 * operator would), then `Project.create`. No runner is added.
 */
export async function startProjectStack(options: StackOptions = {}): Promise<ProjectStack> {
  const image = await ensureTestImage();
  const remote: GitRemote = await startGitRemote();
  let stack: Stack | undefined;
  const close = async () => {
    await stack?.close();
    await remote.close();
  };
  try {
    stack = await Stack.start(
      { github: await startRecordingServer(), s3: await startS3Server() },
      { ...options, serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1', ...options.serviceEnv } },
    );
    const project = await Project.create(stack.admin, {
      createRepository: (name, auth) => remote.createRepository(name, { auth }),
      sign: githubDelivery,
    });
    return { stack, project, image, close };
  } catch (error) {
    await close();
    throw error;
  }
}
