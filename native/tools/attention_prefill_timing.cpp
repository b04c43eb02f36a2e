// Times tf_attention on a 7B-shaped prefill (512 queries over 512 keys, 32 heads of 128),
// one head-major call per head as the forward's cache lays keys out, three repetitions.
// Not part of the build; see docs/benchmark-log.md "Prefill attention":
//   g++ -O2 -std=c++17 -Inative/include native/tools/attention_prefill_timing.cpp \
//       -Lnative/target/classes/native/linux-x86_64 -ltfree4j \
//       -Wl,-rpath,$PWD/native/target/classes/native/linux-x86_64 -o /tmp/attention_prefill_timing
#include "tfree4j.h"
#include <chrono>
#include <cstdio>
#include <vector>
int main(){
  tf_context_params p; tf_context_params_init(&p); p.n_threads=2; tf_context* ctx; tf_context_create(&p,&ctx);
  int n=512, H=32, d=128; std::vector<float> q(size_t(n)*d*H), k=q, v=q, out(q.size());
  for(size_t i=0;i<q.size();++i){q[i]=(i%7)*0.01f;k[i]=(i%5)*0.02f;v[i]=(i%3)*0.1f;}
  for(int rep=0;rep<3;++rep){
    auto t0=std::chrono::steady_clock::now();
    for(int h=0;h<H;++h){ size_t o=size_t(h)*n*d;
      tf_attention(ctx,q.data()+o,n,0,k.data()+o,v.data()+o,n,1,d,nullptr,0,out.data()+o);}
    auto t1=std::chrono::steady_clock::now();
    double s=std::chrono::duration<double>(t1-t0).count();
    printf("head-major 512x512 32 heads: %.1f ms, %.1f GFLOP/s (causal flops) -> x32 layers = %.2f s\n", s*1e3, 32.0*512*512*128*2/s/1e9, s*32);
  }
}
