// Reference measurement, not part of the build: oneDNN's convolutions (forward, backward data,
// backward weights) over a shape list of `perf conv-shapes`, summed as one step, to set beside
// this core's figure for the same list. Tensors stay NCHW between layers, as in this core, so
// the blocked-layout variant pays its reorders.
//   apt-get install libdnnl-dev
//   g++ -O2 -std=c++17 -o onednn_conv_step onednn_conv_step.cpp -ldnnl
//   OMP_NUM_THREADS=2 ./onednn_conv_step ../conv-shapes/train-step.txt        (plain NCHW: oneDNN's gemm path)
//   OMP_NUM_THREADS=2 ./onednn_conv_step ../conv-shapes/train-step.txt any    (blocked layouts + reorders)
#include <dnnl.hpp>
#include <unordered_map>
#include <chrono>
#include <cstdio>
#include <vector>
#include <fstream>
using namespace dnnl; using tag = memory::format_tag; using dt = memory::data_type;
struct Shape { int n, ci, h, w, co, k, s, p; };
static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
int main(int argc, char** argv) {
  engine eng(engine::kind::cpu, 0); stream st(eng);
  if (argc < 2) { fprintf(stderr, "usage: onednn_conv_step SHAPES [any]\n"); return 64; }
  std::vector<Shape> shapes; std::ifstream f(argv[1]); Shape s;
  while (f >> s.n >> s.ci >> s.h >> s.w >> s.co >> s.k >> s.s >> s.p) shapes.push_back(s);
  if (shapes.empty()) { fprintf(stderr, "%s: no shapes read\n", argv[1]); return 1; }
  bool anyfmt = argc > 2;  // "any": blocked formats plus reorders; default: plain nchw everywhere
  struct L { std::vector<primitive> prims; std::vector<std::unordered_map<int, memory>> args; };
  std::vector<L> layers; double flops = 0;
  for (size_t li = 0; li < shapes.size(); li++) {
    auto& c = shapes[li];
    int oh = (c.h + 2 * c.p - c.k) / c.s + 1, ow = (c.w + 2 * c.p - c.k) / c.s + 1;
    flops += 2.0 * c.n * c.co * c.ci * c.k * c.k * oh * ow * (li == 0 ? 2 : 3);
    memory::dims src{c.n, c.ci, c.h, c.w}, wei{c.co, c.ci, c.k, c.k}, dst{c.n, c.co, oh, ow}, str{c.s, c.s}, pad{c.p, c.p};
    auto usrc = memory({src, dt::f32, tag::nchw}, eng), uwei = memory({wei, dt::f32, tag::oihw}, eng), udst = memory({dst, dt::f32, tag::nchw}, eng);
    auto udsrc = memory({src, dt::f32, tag::nchw}, eng), udwei = memory({wei, dt::f32, tag::oihw}, eng), uddst = memory({dst, dt::f32, tag::nchw}, eng);
    for (auto* m : {&usrc, &uwei, &uddst}) { float* p = (float*)m->get_data_handle(); size_t n = m->get_desc().get_size() / 4; for (size_t i = 0; i < n; i++) p[i] = (i % 17) * 0.01f; }
    tag a = anyfmt ? tag::any : tag::nchw, aw = anyfmt ? tag::any : tag::oihw;
    memory::desc msrc(src, dt::f32, a), mwei(wei, dt::f32, aw), mdst(dst, dt::f32, a);
    auto fd = convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, msrc, mwei, mdst, str, pad, pad);
    auto fpd = convolution_forward::primitive_desc(fd, eng);
    auto bdd = convolution_backward_data::desc(algorithm::convolution_direct, msrc, mwei, mdst, str, pad, pad);
    auto bdpd = convolution_backward_data::primitive_desc(bdd, eng, fpd);
    auto bwd = convolution_backward_weights::desc(algorithm::convolution_direct, msrc, mwei, mdst, str, pad, pad);
    auto bwpd = convolution_backward_weights::primitive_desc(bwd, eng, fpd);
    L l;
    auto add = [&](primitive p, std::unordered_map<int, memory> m) { l.prims.push_back(p); l.args.push_back(m); };
    auto in = [&](memory& u, const memory::desc& want) { if (u.get_desc() == want) return u; memory m(want, eng); add(reorder(u, m), {{DNNL_ARG_FROM, u}, {DNNL_ARG_TO, m}}); return m; };
    auto out = [&](memory& u, const memory::desc& have, std::vector<std::pair<memory, memory>>& after) { if (u.get_desc() == have) return u; memory m(have, eng); after.push_back({m, u}); return m; };
    std::vector<std::pair<memory, memory>> after;
    // forward
    auto fs = in(usrc, fpd.src_desc()), fw = in(uwei, fpd.weights_desc()); auto fdst = out(udst, fpd.dst_desc(), after);
    add(convolution_forward(fpd), {{DNNL_ARG_SRC, fs}, {DNNL_ARG_WEIGHTS, fw}, {DNNL_ARG_DST, fdst}});
    for (auto& pr : after) add(reorder(pr.first, pr.second), {{DNNL_ARG_FROM, pr.first}, {DNNL_ARG_TO, pr.second}}); after.clear();
    // backward data (not for the stem, whose input needs no gradient)
    if (li > 0) {
      auto bdy = in(uddst, bdpd.diff_dst_desc()), bw = in(uwei, bdpd.weights_desc()); auto bdx = out(udsrc, bdpd.diff_src_desc(), after);
      add(convolution_backward_data(bdpd), {{DNNL_ARG_DIFF_DST, bdy}, {DNNL_ARG_WEIGHTS, bw}, {DNNL_ARG_DIFF_SRC, bdx}});
      for (auto& pr : after) add(reorder(pr.first, pr.second), {{DNNL_ARG_FROM, pr.first}, {DNNL_ARG_TO, pr.second}}); after.clear();
    }
    auto wx = in(usrc, bwpd.src_desc()), wdy = in(uddst, bwpd.diff_dst_desc()); auto wdw = out(udwei, bwpd.diff_weights_desc(), after);
    add(convolution_backward_weights(bwpd), {{DNNL_ARG_SRC, wx}, {DNNL_ARG_DIFF_DST, wdy}, {DNNL_ARG_DIFF_WEIGHTS, wdw}});
    for (auto& pr : after) add(reorder(pr.first, pr.second), {{DNNL_ARG_FROM, pr.first}, {DNNL_ARG_TO, pr.second}}); after.clear();
    if (li == 0) printf("impl fwd %s bwd_w %s\n", fpd.impl_info_str(), bwpd.impl_info_str());
    layers.push_back(l);
  }
  auto run = [&] { for (auto& l : layers) for (size_t i = 0; i < l.prims.size(); i++) l.prims[i].execute(st, l.args[i]); st.wait(); };
  for (int i = 0; i < 3; i++) run();
  double best = 1e9; for (int r = 0; r < 10; r++) { double t = now(); run(); t = now() - t; if (t < best) best = t; }
  printf("%s: convolutions per step %.1f ms, %.0f GFLOP/s (%.2f GFLOP)\n", anyfmt ? "any+reorders" : "nchw", best * 1e3, flops / best / 1e9, flops / 1e9);
}
