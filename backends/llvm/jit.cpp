// ORC LLJIT with an O2 pipeline run before each module is added, and an object transform that
// notes the size of each unit's function (for -d out_asm and statistics) before it is linked.
#include "backends/llvm/jit.h"

#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/DeadStoreElimination.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/GVN.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopRotation.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Vectorize/LoopVectorize.h>

#include <cstring>
#include <mutex>
#include <stdexcept>

#include "backends/llvm/loop_versioning.h"

namespace mimic::jit {

namespace {

// The code generator's loop strength reduction rewrites a guest loop's addresses around one
// induction variable: each access then needs its own base register (guest memory base plus
// guest pointer), which a unit whose guest registers already fill the host's spills. Without it,
// the benchmarks' units have up to 16% fewer instructions (memops 614 -> 519) and up to 4x fewer
// stack accesses (memops 69 -> 15, fmatmul 82 -> 36), and code generation takes 20% less time. Only a
// command-line option of LLVM's turns it off; LLVM's options are process-wide, and this one is
// set once, the same for every Jit. Should a later LLVM not know it, nothing changes.
void disable_loop_strength_reduction() {
    const char* argv[] = {"mimic", "-disable-lsr"};
    llvm::cl::ParseCommandLineOptions(2, argv, "", &llvm::nulls());
}

void initialize_llvm_once() {
    static std::once_flag once;  // LLVM's target registry is process-wide, set up once
    std::call_once(once, [] {
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
        llvm::InitializeNativeTargetAsmParser();  // the guarded accesses are inline assembly
        disable_loop_strength_reduction();
    });
}

std::string to_string(llvm::Error error) {
    std::string text;
    llvm::raw_string_ostream out(text);
    out << error;
    return text;
}

// O2's function simplification, without what cannot help a unit of guest code (the inliner: it
// calls nothing inlinable) and costs most of O2's time. Guest registers are promoted by SROA; LICM
// hoists the invariant loads of env (guest base, TLB) out of region loops; GVN and DSE remove
// redundant memory ops. Counted loops are versioned (loop_versioning.h) between SROA and the
// first CFG simplification, which would merge the guards and polls they drop; only a unit with
// a versioned loop runs the vectorizer (which can do nothing with a guarded loop: it has more
// than one exit) and loop rotation, which puts a loop's exit test in its latch for it.
void optimize(llvm::Module& module, llvm::TargetMachine* target) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb(target);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    auto run = [&](llvm::FunctionPassManager fpm) {
        llvm::ModulePassManager mpm;
        mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
        mpm.run(module, mam);
    };
    llvm::FunctionPassManager promote;
    promote.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
    run(std::move(promote));
    bool versioned = false;
    for (llvm::Function& fn : module)
        if (!fn.isDeclaration() && version_counted_loops(fn)) versioned = true;
    mam.clear();  // the versioning changed functions behind the analysis managers' back
    fam.clear();
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::EarlyCSEPass(true));
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::SimplifyCFGPass());
    fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LICMPass(llvm::LICMOptions()), true));
    fpm.addPass(llvm::GVNPass());
    fpm.addPass(llvm::DSEPass());
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::SimplifyCFGPass());
    if (versioned) {
        fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LoopRotatePass()));
        fpm.addPass(llvm::LoopVectorizePass());
        fpm.addPass(llvm::InstCombinePass());
        fpm.addPass(llvm::SimplifyCFGPass());
    }
    run(std::move(fpm));
}

}  // namespace

// Keeps each object's recovery section (nothing refers to it, so the linker would drop it) and,
// once its addresses are fixed up, enters its pairs into the table the fault handler reads. This
// happens before lookup returns the unit, so no code runs before its entries are there.
class Jit::RecoveryPlugin final : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
    explicit RecoveryPlugin(host_faults::RecoveryTable& table) : table_(table) {}

    void modifyPassConfig(llvm::orc::MaterializationResponsibility&, llvm::jitlink::LinkGraph&,
                          llvm::jitlink::PassConfiguration& config) override {
        config.PrePrunePasses.push_back([](llvm::jitlink::LinkGraph& graph) {
            if (llvm::jitlink::Section* section = graph.findSectionByName(kRecoverySection))
                for (llvm::jitlink::Block* block : section->blocks())
                    graph.addAnonymousSymbol(*block, 0, block->getSize(), false, true);
            return llvm::Error::success();
        });
        config.PostFixupPasses.push_back([this](llvm::jitlink::LinkGraph& graph) {
            if (llvm::jitlink::Section* section = graph.findSectionByName(kRecoverySection))
                for (llvm::jitlink::Block* block : section->blocks()) {
                    const llvm::ArrayRef<char> bytes = block->getContent();
                    for (size_t at = 0; at + 16 <= bytes.size(); at += 16) {
                        uint64_t pair[2];
                        std::memcpy(pair, bytes.data() + at, sizeof(pair));
                        table_.insert(uintptr_t(pair[0]), uintptr_t(pair[1]));
                    }
                }
            return llvm::Error::success();
        });
    }
    llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override { return llvm::Error::success(); }
    llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override {
        return llvm::Error::success();  // units are never removed: their code lives as long as the JIT
    }
    void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey, llvm::orc::ResourceKey) override {}

private:
    host_faults::RecoveryTable& table_;
};

Jit::Jit() {
    initialize_llvm_once();
    auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!target) throw std::runtime_error("LLVM JIT: " + to_string(target.takeError()));
    auto machine = target->createTargetMachine();
    if (!machine) throw std::runtime_error("LLVM JIT: " + to_string(machine.takeError()));
    machine_ = std::move(*machine);
    auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*target)).create();
    if (!jit) throw std::runtime_error("LLVM JIT: " + to_string(jit.takeError()));
    jit_ = std::move(*jit);
    auto* linker = llvm::dyn_cast<llvm::orc::ObjectLinkingLayer>(&jit_->getObjLinkingLayer());
    if (!linker) throw std::runtime_error("LLVM JIT: expected JITLink's object linking layer");
    linker->addPlugin(std::make_unique<RecoveryPlugin>(recovery_));
    host_faults::add(&recovery_);
    jit_->getObjTransformLayer().setTransform(
        [this](std::unique_ptr<llvm::MemoryBuffer> object) -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
            return record_sizes(std::move(object));
        });
}

Jit::~Jit() {
    host_faults::remove(&recovery_);
}

std::unique_ptr<llvm::MemoryBuffer> Jit::record_sizes(std::unique_ptr<llvm::MemoryBuffer> object) {
    auto file = llvm::object::ObjectFile::createObjectFile(object->getMemBufferRef());
    if (!file) {
        llvm::consumeError(file.takeError());  // not ours to judge: the linker will report it
        return object;
    }
    const auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(file->get());
    if (!elf) return object;
    std::lock_guard lock(sizes_mutex_);
    for (const llvm::object::ELFSymbolRef& symbol : elf->symbols()) {
        auto name = symbol.getName();
        if (!name) {
            llvm::consumeError(name.takeError());
            continue;
        }
        if (auto it = sizes_.find(name->str()); it != sizes_.end()) it->second = symbol.getSize();
    }
    return object;
}

std::vector<JitFunction> Jit::compile(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
                                      const std::vector<std::string>& functions, std::string* ir_text) {
    std::string problems;
    llvm::raw_string_ostream problem_stream(problems);
    if (llvm::verifyModule(*module, &problem_stream))
        throw std::runtime_error("LLVM tier produced invalid IR for " + module->getName().str() + ": " + problems);
    // One compile at a time: the target machine and LLJIT's compiler (not its concurrent one,
    // which builds a target machine per module) are not thread-safe. Lowering runs outside.
    std::lock_guard compiling(compile_mutex_);
    module->setDataLayout(machine_->createDataLayout());
    module->setTargetTriple(machine_->getTargetTriple().str());
    optimize(*module, machine_.get());
    if (ir_text) {
        llvm::raw_string_ostream out(*ir_text);
        module->print(out, nullptr);
    }
    {
        std::lock_guard lock(sizes_mutex_);
        for (const std::string& function : functions) sizes_.emplace(function, 0);
    }
    auto take_size = [&](const std::string& function) {
        std::lock_guard lock(sizes_mutex_);
        auto node = sizes_.extract(function);
        return node ? node.mapped() : size_t{0};
    };
    if (auto err = jit_->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
        for (const std::string& function : functions) take_size(function);
        throw std::runtime_error("LLVM JIT: " + to_string(std::move(err)));
    }
    std::vector<JitFunction> found;
    std::string error;
    for (const std::string& function : functions) {
        // The first lookup emits the module's object, which passes through record_sizes.
        auto symbol = jit_->lookup(function);
        const size_t size = take_size(function);
        if (symbol)
            found.push_back({symbol->getValue(), size});
        else if (error.empty())
            error = to_string(symbol.takeError());
        else
            llvm::consumeError(symbol.takeError());
    }
    if (!error.empty()) throw std::runtime_error("LLVM JIT: " + error);
    return found;
}

}  // namespace mimic::jit
