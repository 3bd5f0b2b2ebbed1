// ORC LLJIT with an O2 pipeline run before each module is added.
#include "backends/llvm/jit.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>
#include <stdexcept>

namespace mimic::jit {

namespace {

void initialize_llvm_once() {
    static std::once_flag once;  // LLVM's target registry is process-wide, set up once
    std::call_once(once, [] {
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
    });
}

std::string to_string(llvm::Error error) {
    std::string text;
    llvm::raw_string_ostream out(text);
    out << error;
    return text;
}

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
    pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, mam);
}

}  // namespace

Jit::Jit() {
    initialize_llvm_once();
    auto jit = llvm::orc::LLJITBuilder().create();
    if (!jit) throw std::runtime_error("LLVM JIT: " + to_string(jit.takeError()));
    jit_ = std::move(*jit);
}

Jit::~Jit() = default;

uint64_t Jit::compile(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
                      const std::string& function, std::string* ir_text) {
    std::string problems;
    llvm::raw_string_ostream problem_stream(problems);
    if (llvm::verifyModule(*module, &problem_stream))
        throw std::runtime_error("LLVM tier produced invalid IR for " + function + ": " + problems);
    auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!target) throw std::runtime_error("LLVM JIT: " + to_string(target.takeError()));
    auto machine = target->createTargetMachine();
    if (!machine) throw std::runtime_error("LLVM JIT: " + to_string(machine.takeError()));
    module->setDataLayout((*machine)->createDataLayout());
    module->setTargetTriple((*machine)->getTargetTriple().str());
    optimize(*module, machine->get());
    if (ir_text) {
        llvm::raw_string_ostream out(*ir_text);
        module->print(out, nullptr);
    }
    if (auto err = jit_->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context))))
        throw std::runtime_error("LLVM JIT: " + to_string(std::move(err)));
    auto symbol = jit_->lookup(function);
    if (!symbol) throw std::runtime_error("LLVM JIT: " + to_string(symbol.takeError()));
    return symbol->getValue();
}

}  // namespace mimic::jit
