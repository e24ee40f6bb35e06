import { Loading } from '~/components/states';

export default function ScreenLoading() {
  return <Loading />;
}
