// The reviews' reads: every review of the deployment's reviews contract, one log read shared by every view that
// shows one (the offerings' ratings, an offering's reviews, My bookings, the console's panel), and the review
// windows of a customer's fulfilled bookings. Loaded with those views, not with the offerings page.
import { useQuery } from "@tanstack/react-query";
import { createRpc, readMany, readReviews, verifiedReviewsAbi, type Review } from "@earnest/sdk";
import { chains } from "../config";
import { useReadChain } from "../lib/chain";

export function useReviews() {
  const { chainId, deployment } = useReadChain();
  const reviews = deployment?.reviews;
  const rpcUrl = chains.find((c) => c.id === chainId)?.rpcUrls.default.http[0];
  return useQuery({
    queryKey: ["reviews", chainId, reviews?.address],
    queryFn: async (): Promise<Review[]> => {
      const read = await readReviews(createRpc(rpcUrl!), {
        reviews: reviews!.address,
        fromBlock: reviews!.deployBlock,
      });
      return read.reviews;
    },
    enabled: reviews !== undefined && rpcUrl !== undefined,
  });
}

/** When each booking's review window closes (Unix seconds; `reviewClosesAt`), in one `eth_call`. */
export function useReviewWindows(bookingIds: readonly bigint[]) {
  const { client, chainId, deployment } = useReadChain();
  const reviews = deployment?.reviews;
  return useQuery({
    queryKey: ["reviewWindows", chainId, reviews?.address, bookingIds.map(String)],
    queryFn: async () => {
      const closes = await readMany(
        client,
        bookingIds.map(
          (id) =>
            ({
              address: reviews!.address,
              abi: verifiedReviewsAbi,
              functionName: "reviewClosesAt",
              args: [id],
            }) as const,
        ),
      );
      return new Map(bookingIds.map((id, i) => [id, Number(closes[i])]));
    },
    enabled: reviews !== undefined && bookingIds.length > 0,
  });
}

/** The newest first. */
export const newestFirst = (a: Review, b: Review) =>
  Number(b.blockNumber - a.blockNumber) || b.reviewedAt - a.reviewedAt;

/** The UTF-8 length the contract counts. */
export const byteLength = (text: string) => new TextEncoder().encode(text).length;
